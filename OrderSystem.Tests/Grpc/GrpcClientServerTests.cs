using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OrderSystem.Tests.Infrastructure;
using OrderSystem.Contracts.Inventory;
using OrderSystem.ServiceDefaults.GrpcServices;

namespace OrderSystem.Tests.Grpc;

/// <summary>
/// The services' gRPC setup end to end, in process: clients registered as the services register them
/// (<see cref="GrpcTestClients"/>) against a server built as theirs are (<see cref="GrpcTestServer"/>, Kestrel h2c).
/// </summary>
[Trait("Category", "Integration")]
public sealed class GrpcClientServerTests(GrpcTestServer server) : IClassFixture<GrpcTestServer>, IAsyncLifetime
{
    private readonly ActivityCollector _activities = new();
    private GrpcTestClients _clients = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _clients = await GrpcTestClients.StartAsync(server.Address);

    [Fact]
    public async Task Typed_client_calls_the_mapped_service()
    {
        var request = new CheckAvailabilityRequest { Items = { new StockLine { Sku = "SKU-1", Quantity = 2 }, new StockLine { Sku = "GONE", Quantity = 1 } } };

        var response = await _clients.Inventory.CheckAvailabilityAsync(request, cancellationToken: Cancellation);

        Assert.False(response.AllAvailable);
        Assert.Collection(
            response.Items,
            item => Assert.Equal(new ItemAvailability { Sku = "SKU-1", Known = true, Requested = 2, Available = 10, UnitPrice = "12.50", Name = "Product SKU-1" }, item),
            item => Assert.Equal(new ItemAvailability { Sku = "GONE", Known = false, Requested = 1 }, item));

        var deduct = new StockChangeRequest { OrderId = Guid.NewGuid().ToString(), Items = { new StockLine { Sku = "SKU-1", Quantity = 1 } } };
        Assert.True((await _clients.Inventory.DeductAsync(deduct, cancellationToken: Cancellation)).Applied);
        Assert.False((await _clients.Inventory.DeductAsync(deduct, cancellationToken: Cancellation)).Applied);
    }

    [Fact]
    public async Task Explicit_status_and_its_trailers_reach_the_client()
    {
        var request = new StockChangeRequest { OrderId = "o-1", Items = { new StockLine { Sku = "SKU-9", Quantity = 11 } } };

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _clients.Inventory.DeductAsync(request, cancellationToken: Cancellation));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("insufficient stock for SKU-9: requested 11, available 10", error.Status.Detail);
        Assert.Equal("SKU-9", error.Trailers.GetValue("x-failed-sku"));
    }

    [Theory]
    [InlineData("argument", StatusCode.InvalidArgument, "quantity must be positive")]
    [InlineData("not-found", StatusCode.NotFound, "order 42 does not exist")]
    [InlineData("precondition", StatusCode.FailedPrecondition, "insufficient stock")]
    [InlineData("unicode", StatusCode.FailedPrecondition, ProbeGrpcService.NonAsciiDetail)]
    [InlineData("mapped", StatusCode.FailedPrecondition, "SKU-1 is out of stock")]
    [InlineData("unavailable", StatusCode.Unavailable, ExceptionStatusInterceptor.UnavailableDetail)]
    [InlineData("bug", StatusCode.Internal, ExceptionStatusInterceptor.InternalErrorDetail)]
    public async Task Handler_exceptions_map_to_statuses(string kind, StatusCode expectedStatus, string expectedDetail)
    {
        await using var clients = await GrpcTestClients.StartAsync(server.Address, maxRetryAttempts: 0);
        var key = $"{kind}:{Guid.NewGuid()}";

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await clients.Probe.FailAsync(new StringValue { Value = key }, cancellationToken: Cancellation));

        Assert.Equal(expectedStatus, error.StatusCode);
        Assert.Equal(expectedDetail, error.Status.Detail);
    }

    [Fact]
    public async Task Unexpected_exceptions_are_logged_but_not_shown_to_the_client()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _clients.Probe.FailAsync(new StringValue { Value = "bug:" + Guid.NewGuid() }, cancellationToken: Cancellation));

        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.Contains(server.Logs.Entries, entry =>
            entry.Level == LogLevel.Error
            && entry.Message.Contains("/ordersystem.test.v1.ProbeService/Fail", StringComparison.Ordinal)
            && entry.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task Deadline_cancels_the_handler_and_fails_the_call_with_deadline_exceeded()
    {
        var key = Guid.NewGuid().ToString();
        var deadline = DateTime.UtcNow.AddMilliseconds(300);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _clients.Probe.WaitForCancellationAsync(
            new StringValue { Value = key }, deadline: deadline, cancellationToken: Cancellation));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        var calls = await server.Observations.WaitForAsync(key, calls => calls.Any(call => call.Cancelled));
        // The server counts the grpc-timeout from when the request arrives, so it can only be later, by the latency.
        Assert.InRange(calls[0].Deadline, deadline.AddMilliseconds(-50), deadline.AddSeconds(1));
    }

    [Fact]
    public async Task A_deadline_already_past_fails_without_reaching_the_server()
    {
        var key = Guid.NewGuid().ToString();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _clients.Probe.EchoAsync(
            new StringValue { Value = key }, deadline: DateTime.UtcNow.AddSeconds(-1), cancellationToken: Cancellation));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Empty(server.Observations.For(key));
    }

    [Fact]
    public async Task Client_cancellation_cancels_the_handler()
    {
        var key = Guid.NewGuid().ToString();
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);

        using var call = _clients.Probe.WaitForCancellationAsync(new StringValue { Value = key }, cancellationToken: cancellation.Token);
        await server.Observations.WaitForAsync(key, calls => calls.Count > 0);
        await cancellation.CancelAsync();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await call);
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        await server.Observations.WaitForAsync(key, calls => calls.Any(observed => observed.Cancelled));
    }

    [Fact]
    public async Task Trace_context_and_baggage_reach_the_handler()
    {
        var key = Guid.NewGuid().ToString();
        using var root = ActivityCollector.TestSource.StartActivity("test")!;
        Baggage.SetBaggage("user.tier", "gold");

        await _clients.Probe.EchoAsync(new StringValue { Value = key }, cancellationToken: Cancellation);

        var call = Assert.Single(server.Observations.For(key));
        Assert.Equal(root.TraceId.ToString(), call.TraceId);
        Assert.Equal("gold", call.Baggage["user.tier"]);
    }

    [Fact]
    public async Task One_client_span_and_the_server_span_carry_the_rpc_attributes()
    {
        using var root = ActivityCollector.TestSource.StartActivity("test")!;

        await _clients.Inventory.CheckAvailabilityAsync(new CheckAvailabilityRequest(), cancellationToken: Cancellation);

        const string name = "ordersystem.inventory.v1.InventoryService/CheckAvailability";
        var serverSpan = await _activities.WaitForAsync(root.TraceId, activity => activity.Kind == ActivityKind.Server);
        var clientSpan = Assert.Single(_activities.InTrace(root.TraceId), IsGrpcClientSpan);
        Assert.Equal(root.SpanId, clientSpan.ParentSpanId);
        Assert.Equal(clientSpan.SpanId, serverSpan.ParentSpanId);
        foreach (var span in new[] { clientSpan, serverSpan })
        {
            Assert.Equal(name, span.DisplayName);
            Assert.Equal("grpc", span.GetTagItem("rpc.system.name"));
            Assert.Equal(name, span.GetTagItem("rpc.method"));
            Assert.Equal("OK", span.GetTagItem("rpc.response.status_code"));
            Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
            Assert.Equal(server.Address.Port, span.GetTagItem("server.port"));
            Assert.Equal(ActivityStatusCode.Unset, span.Status);
        }
    }

    [Theory]
    [InlineData("not-found", "NOT_FOUND", ActivityStatusCode.Unset)]
    [InlineData("bug", "INTERNAL", ActivityStatusCode.Error)]
    public async Task Failed_calls_mark_spans_as_the_conventions_say(string kind, string status, ActivityStatusCode serverSpanStatus)
    {
        using var root = ActivityCollector.TestSource.StartActivity("test")!;

        await Assert.ThrowsAsync<RpcException>(async () =>
            await _clients.Probe.FailAsync(new StringValue { Value = $"{kind}:{Guid.NewGuid()}" }, cancellationToken: Cancellation));

        var serverSpan = await _activities.WaitForAsync(root.TraceId, activity => activity.Kind == ActivityKind.Server);
        var clientSpan = Assert.Single(_activities.InTrace(root.TraceId), IsGrpcClientSpan);
        Assert.Equal(ActivityStatusCode.Error, clientSpan.Status);
        Assert.Equal(serverSpanStatus, serverSpan.Status);
        Assert.Equal(status, clientSpan.GetTagItem("rpc.response.status_code"));
        Assert.Equal(status, serverSpan.GetTagItem("rpc.response.status_code"));
    }

    [Fact]
    public async Task Unavailable_is_retried_until_the_call_succeeds()
    {
        var key = $"{Guid.NewGuid()}:2";

        var response = await _clients.Probe.FlakyAsync(new StringValue { Value = key }, cancellationToken: Cancellation);

        Assert.Equal("3", response.Value);
        Assert.Equal(3, server.Observations.For(key).Count);
    }

    [Fact]
    public async Task Retries_stop_at_the_configured_limit()
    {
        await using var clients = await GrpcTestClients.StartAsync(server.Address, maxRetryAttempts: 2);
        var key = $"{Guid.NewGuid()}:10";

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await clients.Probe.FlakyAsync(new StringValue { Value = key }, cancellationToken: Cancellation));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(3, server.Observations.For(key).Count);
    }

    [Fact]
    public async Task Other_statuses_are_not_retried()
    {
        var key = "precondition:" + Guid.NewGuid();

        await Assert.ThrowsAsync<RpcException>(async () =>
            await _clients.Probe.FailAsync(new StringValue { Value = key }, cancellationToken: Cancellation));

        Assert.Single(server.Observations.For(key));
    }

    [Fact]
    public async Task A_refused_connection_is_unavailable_and_retried()
    {
        await using var clients = await GrpcTestClients.StartAsync(new Uri($"http://127.0.0.1:{PortAllocator.AllocateFreePort()}"), maxRetryAttempts: 2);
        using var root = ActivityCollector.TestSource.StartActivity("test")!;

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await clients.Probe.EchoAsync(new StringValue(), cancellationToken: Cancellation));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        var attempts = _activities.InTrace(root.TraceId).Where(IsGrpcClientSpan).ToList();
        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, attempt => Assert.Equal("UNAVAILABLE", attempt.GetTagItem("rpc.response.status_code")));
    }

    [Fact]
    public async Task The_deadline_ends_the_retries()
    {
        await using var clients = await GrpcTestClients.StartAsync(server.Address, maxRetryAttempts: 4, retryBaseDelay: TimeSpan.FromSeconds(30));
        var key = $"{Guid.NewGuid()}:10";
        var started = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await clients.Probe.FlakyAsync(
            new StringValue { Value = key }, deadline: DateTime.UtcNow.AddMilliseconds(300), cancellationToken: Cancellation));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.NotEmpty(server.Observations.For(key));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"the call took {started.Elapsed}, past its deadline and into the backoff");
    }

    [Fact]
    public async Task Messages_over_the_server_limit_are_resource_exhausted()
    {
        var tooLargeForServer = new StringValue { Value = new string('x', GrpcTestServer.MaxReceiveMessageSize + 1) };

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _clients.Probe.EchoAsync(tooLargeForServer, cancellationToken: Cancellation));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    /// <summary>
    /// The gRPC call's CLIENT span. This listener records the HttpClient span under it too, which the services'
    /// OpenTelemetry configuration suppresses.
    /// </summary>
    private static bool IsGrpcClientSpan(Activity activity) =>
        activity.Kind == ActivityKind.Client && activity.Source.Name == ActivityCollector.GrpcClientSourceName;

    public async ValueTask DisposeAsync()
    {
        await _clients.DisposeAsync();
        _activities.Dispose();
    }
}
