-- One row per channel per consumed event. The unique (event_id, channel) makes a redelivered event insert nothing,
-- and a channel added later still gets its row when an old event is replayed.
CREATE TABLE notifications (
    id          uuid PRIMARY KEY,
    event_id    uuid NOT NULL,
    order_id    uuid NOT NULL,
    user_id     text NOT NULL,
    channel     text NOT NULL CHECK (channel IN ('email', 'sms')),
    -- Masked (j***@example.com, *******42): the service never stores a full address or number.
    recipient   text NOT NULL,
    message     text NOT NULL,
    created_at  timestamptz NOT NULL,
    CONSTRAINT uq_notifications_event_channel UNIQUE (event_id, channel)
);
CREATE INDEX ix_notifications_order_created ON notifications (order_id, created_at);
