-- One payment per order. Card numbers are never stored: only the brand and the last four digits.
-- PENDING marks a claim by the request that is charging the provider (see PaymentStore.TryClaimAsync).
CREATE TABLE payments (
    id                  uuid PRIMARY KEY,
    order_id            uuid NOT NULL UNIQUE,
    amount              numeric(12, 2) NOT NULL CHECK (amount > 0),
    currency            text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    method              text NOT NULL,
    card_brand          text NOT NULL,
    card_last4          text NOT NULL CHECK (card_last4 ~ '^[0-9]{4}$'),
    status              text NOT NULL CHECK (status IN ('PENDING', 'CAPTURED', 'DECLINED', 'FAILED', 'REFUNDED')),
    provider_reference  text,
    refund_reference    text,
    failure_reason      text,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);
