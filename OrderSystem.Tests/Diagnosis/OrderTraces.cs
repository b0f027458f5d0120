using OpenTelemetry.Proto.Trace.V1;
using Kind = OpenTelemetry.Proto.Trace.V1.Span.Types.SpanKind;

namespace OrderSystem.Tests.Diagnosis;

/// <summary>Traces shaped like OrderSystem's: a healthy order placement and its variations with one problem each.</summary>
internal static class OrderTraces
{
    public const string LockingSelect = "SELECT sku, quantity FROM stock WHERE sku = ANY($1) ORDER BY sku FOR UPDATE";
    public const string StockUpdate = "UPDATE stock SET quantity = quantity - $1 WHERE sku = $2";

    /// <summary>The spans a variation reaches into.</summary>
    internal sealed record Checkout(SyntheticTrace Trace, Span Root, Span Orders, Span DeductInventory, Span InventoryDeduct, Span LockingSelect, Span StockUpdate, Span ProcessPayment, Span Producer, Span Consumer);

    /// <summary>
    /// Gateway POST /api/orders (120 ms) -> Orders saga over gRPC: CheckInventory (Redis MGET hit), CreateOrderInDB,
    /// DeductInventory (locking SELECT, UPDATE), ProcessPayment (HTTP to Payments), PublishOrderCreated (Kafka,
    /// consumed 50 ms later by Notifications). <paramref name="jitterMs"/> varies the database times a little.
    /// </summary>
    public static Checkout Healthy(DateTimeOffset start, double jitterMs = 0)
    {
        var t = new SyntheticTrace(start);
        var root = t.Add("gateway", "POST /api/orders", Kind.Server, 0, 120, null,
            ("http.request.method", "POST"), ("http.route", "/api/orders"), ("http.response.status_code", 201));
        var call = t.Add("gateway", "orders.OrderService/PlaceOrder", Kind.Client, 2, 116, root,
            ("rpc.system", "grpc"), ("rpc.service", "orders.OrderService"), ("rpc.method", "PlaceOrder"), ("rpc.grpc.status_code", 0));
        var orders = t.Add("orders", "orders.OrderService/PlaceOrder", Kind.Server, 3, 114, call,
            ("rpc.system", "grpc"), ("rpc.service", "orders.OrderService"), ("rpc.method", "PlaceOrder"), ("rpc.grpc.status_code", 0));

        var check = t.Add("orders", "CheckInventory", Kind.Internal, 4, 16, orders);
        var checkCall = t.Add("orders", "inventory.InventoryService/CheckAvailability", Kind.Client, 5, 14, check, Grpc("inventory.InventoryService", "CheckAvailability"));
        var availability = t.Add("inventory", "inventory.InventoryService/CheckAvailability", Kind.Server, 6, 12, checkCall,
            ("rpc.system", "grpc"), ("inventory.cache_hit", true), ("inventory.cache.hits", 2), ("inventory.cache.misses", 0));
        t.Add("inventory", "MGET", Kind.Client, 7, 1, availability, ("db.system", "redis"), ("db.operation", "MGET"), ("db.statement", "MGET stock:SKU-1 stock:SKU-2"));

        var create = t.Add("orders", "CreateOrderInDB", Kind.Internal, 21, 9, orders);
        t.Add("orders", "ordersdb", Kind.Client, 22, 6 + jitterMs, create, Database("ordersdb", "INSERT INTO orders (id, customer_id, total) VALUES ($1, $2, $3)"));

        var deduct = t.Add("orders", "DeductInventory", Kind.Internal, 31, 19, orders);
        var deductCall = t.Add("orders", "inventory.InventoryService/Deduct", Kind.Client, 32, 17, deduct, Grpc("inventory.InventoryService", "Deduct"));
        var inventoryDeduct = t.Add("inventory", "inventory.InventoryService/Deduct", Kind.Server, 33, 15, deductCall, ("rpc.system", "grpc"));
        var select = t.Add("inventory", "inventorydb", Kind.Client, 34, 5 + jitterMs, inventoryDeduct, Database("inventorydb", LockingSelect));
        var update = t.Add("inventory", "inventorydb", Kind.Client, 40, 3 + jitterMs, inventoryDeduct, Database("inventorydb", StockUpdate));

        var payment = t.Add("orders", "ProcessPayment", Kind.Internal, 51, 39, orders);
        var charge = t.Add("orders", "POST", Kind.Client, 52, 37, payment,
            ("http.request.method", "POST"), ("url.full", "http://127.0.0.1:5004/api/payments"), ("server.address", "127.0.0.1"), ("http.response.status_code", 201));
        var payments = t.Add("payments", "POST /api/payments", Kind.Server, 53, 35, charge,
            ("http.request.method", "POST"), ("http.route", "/api/payments"), ("http.response.status_code", 201));
        t.Add("payments", "paymentsdb", Kind.Client, 60, 4 + jitterMs, payments, Database("paymentsdb", "INSERT INTO payments (id, order_id, amount, status) VALUES ($1, $2, $3, $4)"));

        var publish = t.Add("orders", "PublishOrderCreated", Kind.Internal, 91, 19, orders);
        var producer = t.Add("orders", "send order.events", Kind.Producer, 92, 8, publish, Kafka("send"));
        var consumer = t.Add("notifications", "process order.events", Kind.Consumer, 150, 10, producer, Kafka("process"));
        t.Add("notifications", "notificationsdb", Kind.Client, 152, 3 + jitterMs, consumer, Database("notificationsdb", "INSERT INTO notifications (id, order_id, channel) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"));

        return new Checkout(t, root, orders, deduct, inventoryDeduct, select, update, payment, producer, consumer);
    }

    /// <summary>Makes a span last <paramref name="durationMs"/> from its start.</summary>
    public static void SetDuration(Span span, double durationMs) =>
        span.EndTimeUnixNano = span.StartTimeUnixNano + (ulong)(durationMs * 1_000_000);

    public static (string Key, object Value)[] Database(string name, string statement) =>
        [("db.system", "postgresql"), ("db.name", name), ("db.statement", statement), ("server.address", "127.0.0.1")];

    private static (string Key, object Value)[] Grpc(string service, string method) =>
        [("rpc.system", "grpc"), ("rpc.service", service), ("rpc.method", method), ("rpc.grpc.status_code", 0)];

    private static (string Key, object Value)[] Kafka(string operation) =>
        [("messaging.system", "kafka"), ("messaging.operation.type", operation), ("messaging.destination.name", "order.events")];
}
