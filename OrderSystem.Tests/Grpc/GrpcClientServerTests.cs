using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OrderSystem.Tests.Infrastructure;
using OrderSystem.Contracts.Inventory;
using OrderSystem.ServiceDefaults.Grpc;

namespace OrderSystem.Tests.Grpc;

/// <summary>Our client against our server on Kestrel (h2c), in process.</summary>
public sealed class GrpcClientServerTests(GrpcTestServer server) : IClassFixture<GrpcTestServer>, IDisposable
{
    private readonly GrpcChannel _channel = new(server.Address);
    private readonly ActivityCollector _activities = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Typed_client_calls_the_mapped_service()
    {
        var client = new InventoryClient(_channel);
        var request = new CheckAvailabilityRequest { Items = { new StockLine { Sku = "SKU-1", Quantity = 2 }, new StockLine { Sku = "GONE", Quantity = 1 } } };

        var response = await client.CheckAvailabilityAsync(request, cancellationToken: Cancellation);

        Assert.False(response.AllAvailable);
        Assert.Collection(
            response.Items,
            item => Assert.Equal(new ItemAvailability { Sku = "SKU-1", Known = true, Requested = 2, Available = 10, UnitPrice = "12.50", Name = "Product SKU-1" }, item),
            item => Assert.Equal(new ItemAvailability { Sku = "GONE", Known = false, Requested = 1 }, item));

        var deduct = new StockChangeRequest { OrderId = Guid.NewGuid().ToString(), Items = { new StockLine { Sku = "SKU-1", Quantity = 1 } } };
        Assert.True((await client.DeductAsync(deduct, cancellationToken: Cancellation)).Applied);
        Assert.False((await client.DeductAsync(deduct, cancellationToken: Cancellation)).Applied);
    }

    [Fact]
    public async Task Explicit_status_and_its_trailers_reach_the_client()
    {
        var client = new InventoryClient(_channel);
        var request = new StockChangeRequest { OrderId = "o-1", Items = { new StockLine { Sku = "SKU-9", Quantity = 11 } } };

        var error = await Assert.ThrowsAsync<RpcException>(() => client.DeductAsync(request, cancellationToken: Cancellation));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("insufficient stock for SKU-9: requested 11, available 10", error.Detail);
        Assert.Equal("SKU-9", error.Trailers.GetValue("x-failed-sku"));
    }

    [Theory]
    [InlineData("argument", StatusCode.InvalidArgument, "quantity must be positive")]
    [InlineData("not-found", StatusCode.NotFound, "order 42 does not exist")]
    [InlineData("precondition", StatusCode.FailedPrecondition, "insufficient stock")]
    [InlineData("mapped", StatusCode.FailedPrecondition, "SKU-1 is out of stock")]
    [InlineData("unavailable", StatusCode.Unavailable, "A dependency of the service is unavailable.")]
    [InlineData("bug", StatusCode.Internal, "Exception was thrown by handler.")]
    public async Task Handler_exceptions_map_to_statuses(string kind, StatusCode expectedStatus, string expectedDetail)
    {
        var key = $"{kind}:{Guid.NewGuid()}";

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _channel.UnaryCallAsync(ProbeMethods.Fail, new StringValue { Value = key }, cancellationToken: Cancellation));

        Assert.Equal(expectedStatus, error.StatusCode);
        Assert.Equal(expectedDetail, error.Detail);
    }

    [Fact]
    public async Task Unexpected_exceptions_are_logged_but_not_shown_to_the_client()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _channel.UnaryCallAsync(ProbeMethods.Fail, new StringValue { Value = "bug:" + Guid.NewGuid() }, cancellationToken: Cancellation));

        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.Contains(server.Logs.Entries, entry =>
            entry.Level == LogLevel.Error
            && entry.Message.Contains(ProbeMethods.Fail.FullName, StringComparison.Ordinal)
            && entry.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task Non_ascii_status_messages_survive_percent_encoding()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _channel.UnaryCallAsync(ProbeMethods.Fail, new StringValue { Value = "unicode:" + Guid.NewGuid() }, cancellationToken: Cancellation));

        Assert.Equal(GrpcTestServer.NonAsciiDetail, error.Detail);
    }

    [Fact]
    public async Task Unknown_method_is_unimplemented()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _channel.UnaryCallAsync(ProbeMethods.Missing, new StringValue(), cancellationToken: Cancellation));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Theory]
    [InlineData(nameof(ProbeMethods.NoStatusTrailer), StatusCode.Internal, "the response ended without a grpc-status trailer.")]
    [InlineData(nameof(ProbeMethods.Http503), StatusCode.Unavailable, "Bad gRPC response: HTTP status 503.")]
    [InlineData(nameof(ProbeMethods.PlainText), StatusCode.Internal, "Bad gRPC response: content-type 'text/plain' is not application/grpc.")]
    public async Task Protocol_violations_by_the_server_map_to_statuses(string methodName, StatusCode expected, string detail)
    {
        var method = methodName switch
        {
            nameof(ProbeMethods.NoStatusTrailer) => ProbeMethods.NoStatusTrailer,
            nameof(ProbeMethods.Http503) => ProbeMethods.Http503,
            _ => ProbeMethods.PlainText,
        };

        var error = await Assert.ThrowsAsync<RpcException>(() => _channel.UnaryCallAsync(method, new StringValue(), cancellationToken: Cancellation));

        Assert.Equal(expected, error.StatusCode);
        Assert.Equal(detail, error.Detail);
    }

    [Fact]
    public async Task Deadline_cancels_the_handler_and_fails_the_call_with_deadline_exceeded()
    {
        var key = Guid.NewGuid().ToString();
        var deadline = DateTimeOffset.UtcNow.AddMilliseconds(300);

        var error = await Assert.ThrowsAsync<RpcException>(() => _channel.UnaryCallAsync(
            ProbeMethods.WaitForCancellation, new StringValue { Value = key }, new CallOptions(Deadline: deadline), Cancellation));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        var calls = await server.Observations.WaitForAsync(key, calls => calls.Any(call => call.Cancelled));
        var serverDeadline = Assert.IsType<DateTimeOffset>(calls[0].Deadline);
        // The server counts the grpc-timeout from when the request arrives, so it can only be later, by the latency.
        Assert.InRange(serverDeadline, deadline.AddMilliseconds(-50), deadline.AddSeconds(1));
    }

    [Fact]
    public async Task A_deadline_already_past_fails_without_reaching_the_server()
    {
        var key = Guid.NewGuid().ToString();

        var error = await Assert.ThrowsAsync<RpcException>(() => _channel.UnaryCallAsync(
            ProbeMethods.Echo, new StringValue { Value = key }, new CallOptions(Deadline: DateTimeOffset.UtcNow.AddSeconds(-1)), Cancellation));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Empty(server.Observations.For(key));
    }

    [Fact]
    public async Task Client_cancellation_cancels_the_handler()
    {
        var key = Guid.NewGuid().ToString();
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);

        var call = _channel.UnaryCallAsync(ProbeMethods.WaitForCancellation, new StringValue { Value = key }, cancellationToken: cancellation.Token);
        await server.Observations.WaitForAsync(key, calls => calls.Count > 0);
        await cancellation.CancelAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        await server.Observations.WaitForAsync(key, calls => calls.Any(observed => observed.Cancelled));
    }

    [Fact]
    public async Task Metadata_reaches_the_handler_and_trailers_come_back()
    {
        var headers = new Metadata { { "x-tenant", "acme" }, { "x-blob-bin", new byte[] { 0, 1, 254, 255 } } };

        var response = await _channel.UnaryCallAsync(
            InventoryMethods.ListProducts, new ListProductsRequest(), new CallOptions(headers), Cancellation);

        Assert.Equal("SKU-1", Assert.Single(response.Message.Products).Sku);
        Assert.Equal("acme", response.Trailers.GetValue("x-tenant"));
        Assert.Equal(new byte[] { 0, 1, 254, 255 }, response.Trailers.GetBinaryValue("x-blob-bin"));
    }

    [Fact]
    public async Task Trace_context_and_baggage_reach_the_handler()
    {
        var key = Guid.NewGuid().ToString();
        using var root = ActivityCollector.TestSource.StartActivity("test")!;
        Baggage.SetBaggage("user.tier", "gold");

        await _channel.UnaryCallAsync(ProbeMethods.Echo, new StringValue { Value = key }, cancellationToken: Cancellation);

        var call = Assert.Single(server.Observations.For(key));
        Assert.Equal(root.TraceId.ToString(), call.TraceId);
        Assert.Equal("gold", call.Baggage["user.tier"]);
        Assert.StartsWith("ipv4:127.0.0.1:", call.Peer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_client_span_and_the_server_span_carry_the_rpc_attributes()
    {
        using var root = ActivityCollector.TestSource.StartActivity("test")!;

        await new InventoryClient(_channel).CheckAvailabilityAsync(new CheckAvailabilityRequest(), cancellationToken: Cancellation);

        const string name = "ordersystem.inventory.v1.InventoryService/CheckAvailability";
        var serverSpan = await _activities.WaitForAsync(root.TraceId, activity => activity.Kind == ActivityKind.Server);
        var clientSpan = Assert.Single(_activities.InTrace(root.TraceId), activity => activity.Kind == ActivityKind.Client);
        Assert.Equal("OrderSystem.Grpc", clientSpan.Source.Name);
        Assert.Equal(root.SpanId, clientSpan.ParentSpanId);
        Assert.Equal(clientSpan.SpanId, serverSpan.ParentSpanId);
        foreach (var span in new[] { clientSpan, serverSpan })
        {
            Assert.Equal(name, span.DisplayName);
            Assert.Equal("grpc", span.GetTagItem("rpc.system"));
            Assert.Equal("ordersystem.inventory.v1.InventoryService", span.GetTagItem("rpc.service"));
            Assert.Equal("CheckAvailability", span.GetTagItem("rpc.method"));
            Assert.Equal(0, span.GetTagItem("rpc.grpc.status_code"));
            Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
            Assert.Equal(server.Address.Port, span.GetTagItem("server.port"));
            Assert.Equal(ActivityStatusCode.Unset, span.Status);
        }
    }

    [Theory]
    [InlineData("not-found", StatusCode.NotFound, ActivityStatusCode.Unset)]
    [InlineData("bug", StatusCode.Internal, ActivityStatusCode.Error)]
    public async Task Failed_calls_mark_spans_as_the_conventions_say(string kind, StatusCode status, ActivityStatusCode serverSpanStatus)
    {
        using var root = ActivityCollector.TestSource.StartActivity("test")!;

        await Assert.ThrowsAsync<RpcException>(() =>
            _channel.UnaryCallAsync(ProbeMethods.Fail, new StringValue { Value = $"{kind}:{Guid.NewGuid()}" }, cancellationToken: Cancellation));

        var serverSpan = await _activities.WaitForAsync(root.TraceId, activity => activity.Kind == ActivityKind.Server);
        var clientSpan = Assert.Single(_activities.InTrace(root.TraceId), activity => activity.Kind == ActivityKind.Client);
        Assert.Equal(ActivityStatusCode.Error, clientSpan.Status);
        Assert.Equal(serverSpanStatus, serverSpan.Status);
        Assert.Equal((int)status, clientSpan.GetTagItem("rpc.grpc.status_code"));
        Assert.Equal((int)status, serverSpan.GetTagItem("rpc.grpc.status_code"));
    }

    [Fact]
    public async Task Durations_are_recorded_for_both_sides()
    {
        var measurements = new System.Collections.Concurrent.ConcurrentQueue<(string Instrument, Dictionary<string, object?> Tags)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, meterListener) =>
            {
                if (instrument.Meter.Name == "OrderSystem.Grpc")
                {
                    meterListener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
            measurements.Enqueue((instrument.Name, tags.ToArray().ToDictionary(tag => tag.Key, tag => tag.Value))));
        listener.Start();

        await _channel.UnaryCallAsync(ProbeMethods.Echo, new StringValue { Value = Guid.NewGuid().ToString() }, cancellationToken: Cancellation);

        foreach (var instrument in new[] { "rpc.client.duration", "rpc.server.duration" })
        {
            Assert.Contains(measurements, measurement =>
                measurement.Instrument == instrument
                && Equals(measurement.Tags["rpc.service"], ProbeMethods.ServiceName)
                && Equals(measurement.Tags["rpc.method"], "Echo")
                && Equals(measurement.Tags["rpc.grpc.status_code"], 0));
        }
    }

    [Fact]
    public async Task Unavailable_is_retried_until_the_call_succeeds()
    {
        using var channel = new GrpcChannel(server.Address, RetryingOptions(maxRetryAttempts: 3));
        var key = $"{Guid.NewGuid()}:2";

        var response = await channel.UnaryCallAsync(ProbeMethods.Flaky, new StringValue { Value = key }, cancellationToken: Cancellation);

        Assert.Equal("3", response.Message.Value);
        Assert.Equal(3, server.Observations.For(key).Count);
    }

    [Fact]
    public async Task Retries_stop_at_the_configured_limit()
    {
        using var channel = new GrpcChannel(server.Address, RetryingOptions(maxRetryAttempts: 2));
        var key = $"{Guid.NewGuid()}:10";

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryCallAsync(ProbeMethods.Flaky, new StringValue { Value = key }, cancellationToken: Cancellation));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(3, server.Observations.For(key).Count);
    }

    [Fact]
    public async Task Other_statuses_are_not_retried()
    {
        using var channel = new GrpcChannel(server.Address, RetryingOptions(maxRetryAttempts: 3));
        var key = "precondition:" + Guid.NewGuid();

        await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryCallAsync(ProbeMethods.Fail, new StringValue { Value = key }, cancellationToken: Cancellation));

        Assert.Single(server.Observations.For(key));
    }

    [Fact]
    public async Task A_refused_connection_is_unavailable_and_retried()
    {
        using var channel = new GrpcChannel(new Uri($"http://127.0.0.1:{PortAllocator.AllocateFreePort()}"), RetryingOptions(maxRetryAttempts: 2));
        using var root = ActivityCollector.TestSource.StartActivity("test")!;

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryCallAsync(ProbeMethods.Echo, new StringValue(), cancellationToken: Cancellation));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        var attempts = _activities.InTrace(root.TraceId).Where(activity => activity.Kind == ActivityKind.Client).ToList();
        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, attempt => Assert.Equal((int)StatusCode.Unavailable, attempt.GetTagItem("rpc.grpc.status_code")));
    }

    [Fact]
    public async Task The_deadline_ends_the_retries()
    {
        using var channel = new GrpcChannel(server.Address, new GrpcChannelOptions
        {
            RetryPipeline = GrpcRetryPipeline.Create(new GrpcRetryOptions { MaxRetryAttempts = 5, RetryBaseDelay = TimeSpan.FromSeconds(30) }, TimeProvider.System),
        });
        var key = $"{Guid.NewGuid()}:10";
        var started = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryCallAsync(
            ProbeMethods.Flaky, new StringValue { Value = key }, new CallOptions(Deadline: DateTimeOffset.UtcNow.AddMilliseconds(300)), Cancellation));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Single(server.Observations.For(key));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"the call took {started.Elapsed}, past its deadline and into the backoff");
    }

    [Fact]
    public async Task Messages_over_the_limits_are_resource_exhausted()
    {
        var tooLargeForServer = new StringValue { Value = new string('x', GrpcTestServer.MaxReceiveMessageSize + 1) };
        var serverError = await Assert.ThrowsAsync<RpcException>(() =>
            _channel.UnaryCallAsync(ProbeMethods.Echo, tooLargeForServer, cancellationToken: Cancellation));
        Assert.Equal(StatusCode.ResourceExhausted, serverError.StatusCode);

        using var smallChannel = new GrpcChannel(server.Address, new GrpcChannelOptions { MaxReceiveMessageSize = 1024 });
        var clientError = await Assert.ThrowsAsync<RpcException>(() =>
            smallChannel.UnaryCallAsync(ProbeMethods.Echo, new StringValue { Value = new string('y', 2048) }, cancellationToken: Cancellation));
        Assert.Equal(StatusCode.ResourceExhausted, clientError.StatusCode);
    }

    public void Dispose()
    {
        _channel.Dispose();
        _activities.Dispose();
    }

    private static GrpcChannelOptions RetryingOptions(int maxRetryAttempts) => new()
    {
        RetryPipeline = GrpcRetryPipeline.Create(
            new GrpcRetryOptions { MaxRetryAttempts = maxRetryAttempts, RetryBaseDelay = TimeSpan.FromMilliseconds(5) }, TimeProvider.System),
    };
}
