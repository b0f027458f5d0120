namespace OrderSystem.Contracts.Orders;

/// <summary>gRPC metadata of OrderService beyond its messages.</summary>
public static class OrderMetadata
{
    /// <summary>
    /// The trailer naming the order an error status is about, once the order exists (for example a payment that
    /// failed after the stock was taken), so the caller can look it up or retry with the same idempotency key.
    /// </summary>
    public const string OrderIdTrailer = "order-id";
}
