-- Orders and their items; status moves PENDING -> CONFIRMED | FAILED through the placement saga (docs/orders.md).
CREATE TABLE orders (
    id               uuid PRIMARY KEY,
    user_id          text NOT NULL,
    status           text NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'FAILED')),
    failure_reason   text,
    total_amount     numeric(12, 2) NOT NULL CHECK (total_amount >= 0),
    currency         text NOT NULL,
    idempotency_key  text,
    payment_id       uuid,
    -- W3C trace context of the request that created the order: recovery and the outbox relay join its trace.
    traceparent      text,
    tracestate       text,
    -- Who may move a PENDING order on: the saga renews this before every step; recovery takes over only after it passed.
    lease_until      timestamptz NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    CHECK ((status = 'FAILED') = (failure_reason IS NOT NULL)),
    CHECK (status <> 'CONFIRMED' OR payment_id IS NOT NULL)
);

-- A retried request with the same key returns the first order instead of creating (and charging) another.
CREATE UNIQUE INDEX ix_orders_user_idempotency_key ON orders (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
-- ListOrders: newest first, keyset pagination on (created_at, id).
CREATE INDEX ix_orders_user_created ON orders (user_id, created_at DESC, id DESC);
-- StalledOrderRecovery: PENDING orders whose lease ran out.
CREATE INDEX ix_orders_pending_lease ON orders (lease_until) WHERE status = 'PENDING';

CREATE TABLE order_items (
    order_id    uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line        smallint NOT NULL,
    sku         text NOT NULL,
    quantity    integer NOT NULL CHECK (quantity > 0),
    unit_price  numeric(12, 2) NOT NULL CHECK (unit_price >= 0),
    PRIMARY KEY (order_id, line),
    UNIQUE (order_id, sku)
);

-- Transactional outbox: written in the same transaction as the status change, relayed to Kafka by OutboxRelay.
CREATE TABLE outbox (
    id               bigserial PRIMARY KEY,
    event_id         uuid NOT NULL UNIQUE,
    topic            text NOT NULL,
    message_key      text NOT NULL,
    event_type       text NOT NULL,
    payload          jsonb NOT NULL,
    -- Message headers to send, plus the traceparent/tracestate the relay's span is parented on.
    headers          jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at       timestamptz NOT NULL,
    next_attempt_at  timestamptz NOT NULL,
    published_at     timestamptz,
    attempts         integer NOT NULL DEFAULT 0,
    last_error       text
);
CREATE INDEX ix_outbox_pending ON outbox (next_attempt_at, id) WHERE published_at IS NULL;
