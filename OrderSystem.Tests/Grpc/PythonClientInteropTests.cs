using System.Diagnostics;
using System.Text.Json;

namespace OrderSystem.Tests.Grpc;

/// <summary>A grpcio client (python_client.py) calls our server.</summary>
public sealed class PythonClientInteropTests(GrpcTestServer server, PythonPeers python)
    : IClassFixture<GrpcTestServer>, IClassFixture<PythonPeers>, IDisposable
{
    private readonly ActivityCollector _activities = new();

    [Fact]
    public async Task Success()
    {
        using var result = JsonDocument.Parse(await python.RunClientAsync(server.Address, "success"));

        var root = result.RootElement;
        Assert.Equal("OK", root.GetProperty("code").GetString());
        Assert.False(root.GetProperty("all_available").GetBoolean());
        var items = root.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal("SKU-1", items[0].GetProperty("sku").GetString());
        Assert.True(items[0].GetProperty("known").GetBoolean());
        Assert.Equal(2, items[0].GetProperty("requested").GetInt32());
        Assert.Equal(10, items[0].GetProperty("available").GetInt32());
        Assert.Equal("12.50", items[0].GetProperty("unit_price").GetString());
        Assert.Equal("Product SKU-1", items[0].GetProperty("name").GetString());
        Assert.False(items[1].GetProperty("known").GetBoolean());
    }

    [Fact]
    public async Task Error_status_with_message_and_trailers()
    {
        using var result = JsonDocument.Parse(await python.RunClientAsync(server.Address, "error"));

        var root = result.RootElement;
        Assert.Equal("FAILED_PRECONDITION", root.GetProperty("code").GetString());
        Assert.Equal("insufficient stock for SKU-7: requested 99, available 10", root.GetProperty("details").GetString());
        Assert.Equal("SKU-7", root.GetProperty("trailers").GetProperty("x-failed-sku").GetString());
    }

    [Fact]
    public async Task Deadline_exceeded()
    {
        var orderId = Guid.NewGuid().ToString();
        var started = DateTimeOffset.UtcNow;

        using var result = JsonDocument.Parse(await python.RunClientAsync(server.Address, "deadline", orderId));

        Assert.Equal("DEADLINE_EXCEEDED", result.RootElement.GetProperty("code").GetString());
        var calls = await server.Observations.WaitForAsync(orderId, calls => calls.Any(call => call.Cancelled));
        // grpcio sent its 300 ms timeout as grpc-timeout, and the handler's token was cancelled.
        var deadline = Assert.IsType<DateTimeOffset>(calls[0].Deadline);
        Assert.InRange(deadline, started, started.AddSeconds(10));
    }

    [Fact]
    public async Task Metadata_trace_context_and_baggage()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var parentSpanId = ActivitySpanId.CreateRandom();

        using var result = JsonDocument.Parse(await python.RunClientAsync(server.Address, "metadata", $"00-{traceId}-{parentSpanId}-01"));

        var root = result.RootElement;
        Assert.Equal("OK", root.GetProperty("code").GetString());
        Assert.Equal(["SKU-1"], root.GetProperty("products").EnumerateArray().Select(product => product.GetString()));
        var trailers = root.GetProperty("trailers");
        Assert.Equal("alice", trailers.GetProperty("x-user").GetString());
        Assert.Equal("0001feff", trailers.GetProperty("x-blob-bin").GetString());
        Assert.Equal("user.tier=gold", trailers.GetProperty("echo-baggage").GetString());

        var serverSpan = await _activities.WaitForAsync(traceId, activity => activity.Kind == ActivityKind.Server);
        Assert.Equal(parentSpanId, serverSpan.ParentSpanId);
        Assert.Equal("ordersystem.inventory.v1.InventoryService/ListProducts", serverSpan.DisplayName);
        Assert.Equal("grpc", serverSpan.GetTagItem("rpc.system"));
        Assert.Equal(0, serverSpan.GetTagItem("rpc.grpc.status_code"));
    }

    public void Dispose() => _activities.Dispose();
}
