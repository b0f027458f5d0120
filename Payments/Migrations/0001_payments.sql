-- Card numbers are never stored: only the brand and last four digits.
CREATE TABLE payments (
    id                  uuid PRIMARY KEY,
    order_id            uuid NOT NULL UNIQUE,
    amount              numeric(12, 2) NOT NULL CHECK (amount > 0),
    currency            text NOT NULL,
    method              text NOT NULL,
    card_brand          text,
    card_last4          text,
    status              text NOT NULL CHECK (status IN ('CAPTURED', 'DECLINED', 'FAILED', 'REFUNDED')),
    provider_reference  text,
    failure_reason      text,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);
