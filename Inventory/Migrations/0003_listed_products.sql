-- Archived products stay in inventory_items (their stock and reservations are history) but are no longer offered:
-- the catalogue lists only listed ones, through a partial index that holds just those rows, so however many archived
-- rows the table has, ListProducts' keyset paging reads only the products it returns.
ALTER TABLE inventory_items ADD COLUMN listed boolean NOT NULL DEFAULT true;

CREATE INDEX ix_inventory_items_listed_sku ON inventory_items (sku) WHERE listed;
