-- A FAILED order's kind of failure as a value (OrderFailureKind), so that the saga and recovery decide by it instead
-- of parsing failure_reason, which stays the text the API shows. Orders failed before this migration get their kind
-- from that text.
ALTER TABLE orders ADD COLUMN failure_kind text CHECK (failure_kind IN (
    'INSUFFICIENT_STOCK', 'PRODUCT_GONE', 'INVENTORY_UNAVAILABLE', 'PAYMENT_DECLINED', 'PAYMENT_REJECTED', 'PAYMENT_FAILED', 'INTERRUPTED'));

UPDATE orders SET failure_kind = CASE
        WHEN failure_reason = 'insufficient stock' THEN 'INSUFFICIENT_STOCK'
        WHEN failure_reason = 'a product of the order no longer exists' THEN 'PRODUCT_GONE'
        WHEN failure_reason = 'inventory unavailable' THEN 'INVENTORY_UNAVAILABLE'
        WHEN failure_reason LIKE 'payment declined%' THEN 'PAYMENT_DECLINED'
        WHEN failure_reason LIKE 'payment rejected%' THEN 'PAYMENT_REJECTED'
        WHEN failure_reason LIKE 'payment failed%' THEN 'PAYMENT_FAILED'
        ELSE 'INTERRUPTED'
    END
WHERE status = 'FAILED';

ALTER TABLE orders ADD CONSTRAINT orders_failure_kind_check_failed CHECK ((status = 'FAILED') = (failure_kind IS NOT NULL));
