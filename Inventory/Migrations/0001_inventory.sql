CREATE TABLE categories (
    id    integer PRIMARY KEY,
    name  text NOT NULL
);

CREATE TABLE inventory_items (
    id           bigserial PRIMARY KEY,
    sku          text NOT NULL,
    name         text NOT NULL,
    category_id  integer NOT NULL REFERENCES categories (id),
    price        numeric(12, 2) NOT NULL CHECK (price >= 0),
    available    integer NOT NULL CHECK (available >= 0),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Availability checks and deductions look rows up by SKU; without this index they scan the table.
CREATE UNIQUE INDEX ix_inventory_items_sku ON inventory_items (sku);

-- One row per (order, SKU) makes Deduct and Release idempotent per order id.
CREATE TABLE inventory_reservations (
    order_id    uuid NOT NULL,
    sku         text NOT NULL,
    quantity    integer NOT NULL CHECK (quantity > 0),
    status      text NOT NULL CHECK (status IN ('DEDUCTED', 'RELEASED')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (order_id, sku)
);
