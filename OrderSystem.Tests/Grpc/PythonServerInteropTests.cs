using System.Diagnostics;
using OpenTelemetry;
using OrderSystem.Contracts.Inventory;
using OrderSystem.ServiceDefaults.Grpc;

namespace OrderSystem.Tests.Grpc;

/// <summary>Our client calls a grpcio server (python_server.py).</summary>
public sealed class PythonServerInteropTests(PythonGrpcServer python) : IClassFixture<PythonGrpcServer>, IDisposable
{
    private readonly GrpcChannel _channel = new(python.Address);
    private readonly ActivityCollector _activities = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Success()
    {
        var response = await new InventoryClient(_channel).CheckAvailabilityAsync(
            new CheckAvailabilityRequest { Items = { new StockLine { Sku = "SKU-1", Quantity = 3 } } }, cancellationToken: Cancellation);

        Assert.True(response.AllAvailable);
        Assert.Equal(
            new ItemAvailability { Sku = "SKU-1", Known = true, Requested = 3, Available = 100, UnitPrice = "9.99", Name = "py-SKU-1" },
            Assert.Single(response.Items));
    }

    [Fact]
    public async Task Error_status_with_message_and_trailers()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => new InventoryClient(_channel).DeductAsync(
            new StockChangeRequest { OrderId = "o-1", Items = { new StockLine { Sku = "SKU-3", Quantity = 1 } } }, cancellationToken: Cancellation));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("insufficient stock for SKU-3", error.Detail);
        Assert.Equal("SKU-3", error.Trailers.GetValue("x-failed-sku"));
    }

    [Fact]
    public async Task Deadline_exceeded()
    {
        var started = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<RpcException>(() => new InventoryClient(_channel).ReleaseAsync(
            new StockChangeRequest { OrderId = "o-2" }, new CallOptions(Deadline: DateTimeOffset.UtcNow.AddMilliseconds(300)), Cancellation));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"the call took {started.Elapsed}");
    }

    [Fact]
    public async Task Metadata_trace_context_baggage_and_timeout_reach_the_server()
    {
        using var root = ActivityCollector.TestSource.StartActivity("test")!;
        Baggage.SetBaggage("user.tier", "gold");
        var headers = new Metadata { { "x-user", "alice" }, { "x-blob-bin", new byte[] { 0, 1, 254, 255 } } };

        var response = await _channel.UnaryCallAsync(
            InventoryMethods.ListProducts, new ListProductsRequest(), new CallOptions(headers, DateTimeOffset.UtcNow.AddSeconds(5)), Cancellation);

        Assert.Equal("SKU-PY", Assert.Single(response.Message.Products).Sku);
        var clientSpan = Assert.Single(_activities.InTrace(root.TraceId), activity => activity.Kind == ActivityKind.Client);
        Assert.Equal("ordersystem.inventory.v1.InventoryService/ListProducts", clientSpan.DisplayName);
        var trailers = response.Trailers;
        Assert.Equal("alice", trailers.GetValue("x-user"));
        Assert.Equal(new byte[] { 0, 1, 254, 255 }, trailers.GetBinaryValue("x-blob-bin"));
        Assert.Equal($"00-{root.TraceId}-{clientSpan.SpanId}-01", trailers.GetValue("echo-traceparent"));
        Assert.Equal("user.tier=gold", trailers.GetValue("echo-baggage"));
        var remaining = int.Parse(trailers.GetValue("echo-time-remaining-ms")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(remaining, 1, 5000);
    }

    public void Dispose()
    {
        _channel.Dispose();
        _activities.Dispose();
    }
}
