-- One notification per consumed event: the unique event id makes redelivery harmless.
CREATE TABLE notifications (
    id          uuid PRIMARY KEY,
    event_id    uuid NOT NULL UNIQUE,
    order_id    uuid NOT NULL,
    user_id     text NOT NULL,
    channel     text NOT NULL,
    recipient   text NOT NULL,
    message     text NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX ix_notifications_order ON notifications (order_id);
