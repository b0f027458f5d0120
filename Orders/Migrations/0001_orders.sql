-- Orders and their items; status moves PENDING -> CONFIRMED | FAILED through the placement saga.
CREATE TABLE orders (
    id               uuid PRIMARY KEY,
    user_id          text NOT NULL,
    status           text NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'FAILED')),
    failure_reason   text,
    total_amount     numeric(12, 2) NOT NULL CHECK (total_amount >= 0),
    currency         text NOT NULL DEFAULT 'USD',
    idempotency_key  text,
    payment_id       uuid,
    trace_id         text,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);

-- A retried request with the same key returns the first order instead of creating (and charging) another.
CREATE UNIQUE INDEX ix_orders_user_idempotency_key ON orders (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX ix_orders_user_created ON orders (user_id, created_at DESC);

CREATE TABLE order_items (
    order_id    uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    sku         text NOT NULL,
    quantity    integer NOT NULL CHECK (quantity > 0),
    unit_price  numeric(12, 2) NOT NULL CHECK (unit_price >= 0),
    PRIMARY KEY (order_id, sku)
);

-- Transactional outbox: written in the same transaction as the status change, relayed to Kafka afterwards.
CREATE TABLE outbox (
    id            bigserial PRIMARY KEY,
    event_id      uuid NOT NULL UNIQUE,
    topic         text NOT NULL,
    message_key   text NOT NULL,
    event_type    text NOT NULL,
    payload       jsonb NOT NULL,
    headers       jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at    timestamptz NOT NULL,
    published_at  timestamptz,
    attempts      integer NOT NULL DEFAULT 0,
    last_error    text
);
CREATE INDEX ix_outbox_pending ON outbox (id) WHERE published_at IS NULL;
