CREATE TABLE categories (
    id    integer PRIMARY KEY,
    name  text NOT NULL UNIQUE
);

CREATE TABLE inventory_items (
    id           bigserial PRIMARY KEY,
    sku          text NOT NULL CHECK (length(sku) BETWEEN 1 AND 64),
    name         text NOT NULL,
    category_id  integer NOT NULL REFERENCES categories (id),
    price        numeric(12, 2) NOT NULL CHECK (price >= 0),
    -- The last line of defence: the ledger checks stock under row locks before it deducts.
    available    integer NOT NULL CHECK (available >= 0),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Availability checks, deductions and the catalogue's keyset paging look rows up and order them by SKU.
CREATE UNIQUE INDEX ix_inventory_items_sku ON inventory_items (sku);

-- One row per (order, SKU) makes Deduct and Release idempotent per order id. CANCELLED marks a Release that came
-- before any Deduct of its order (a compensation that overtook its Deduct), so the late Deduct cannot take stock.
CREATE TABLE inventory_reservations (
    order_id    uuid NOT NULL,
    sku         text NOT NULL,
    quantity    integer NOT NULL CHECK (quantity > 0),
    status      text NOT NULL CHECK (status IN ('DEDUCTED', 'RELEASED', 'CANCELLED')),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (order_id, sku)
);
