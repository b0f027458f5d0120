-- Every committed stock change increments its row's version, which the cache keeps with each entry: a write of an
-- older version (a check that read PostgreSQL just before a Deduct committed) never overwrites a newer one.
ALTER TABLE inventory_items ADD COLUMN version bigint NOT NULL DEFAULT 0;
