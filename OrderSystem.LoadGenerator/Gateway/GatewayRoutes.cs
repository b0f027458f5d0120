namespace OrderSystem.LoadGenerator.Gateway;

/// <summary>
/// The Gateway's REST routes: their names as statistics show them (method and route template) and their relative
/// URIs. Every value from a response is escaped, so a URI built here stays below the Gateway's base address.
/// </summary>
public static class GatewayRoutes
{
    public const string ListProducts = "GET /api/products";
    public const string CreateOrder = "POST /api/orders";
    public const string GetOrder = "GET /api/orders/{id}";
    public const string ListOrders = "GET /api/orders";
    public const string GetNotifications = "GET /api/orders/{id}/notifications";

    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static string ProductsPage(string? pageToken) =>
        pageToken is null ? "api/products" : "api/products?pageToken=" + Uri.EscapeDataString(pageToken);

    public static string Orders => "api/orders";

    public static string Order(string orderId) => "api/orders/" + Uri.EscapeDataString(orderId);

    public static string OrdersOfUser(string userId) => "api/orders?userId=" + Uri.EscapeDataString(userId);

    public static string NotificationsOf(string orderId) => Order(orderId) + "/notifications";
}
