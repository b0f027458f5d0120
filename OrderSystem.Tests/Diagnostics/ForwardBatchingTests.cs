using System.Net;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using OrderSystem.Diagnostics;
using OrderSystem.Diagnostics.Otlp;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Diagnostics;

/// <summary>
/// The forwarder sends one request at a time; what queues up while the upstream answers slowly goes in the next
/// request, one per signal, in order. The upstream here is a handler that holds the first request until released.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ForwardBatchingTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public void Joined_exports_of_a_signal_parse_as_one_request_holding_each_in_order()
    {
        var batches = OtlpExportBatch.Join(
        [
            (OtlpSignal.Traces, Traces("checkout").ToByteArray()),
            (OtlpSignal.Logs, Logs("checkout").ToByteArray()),
            (OtlpSignal.Traces, Traces("payments").ToByteArray()),
        ]);

        Assert.Equal([OtlpSignal.Traces, OtlpSignal.Logs], batches.Select(batch => batch.Signal));
        Assert.Equal([2, 1], batches.Select(batch => batch.Exports));
        Assert.Equal(["checkout", "payments"], ServicesOf(ExportTraceServiceRequest.Parser.ParseFrom(batches[0].Body)));
        Assert.Single(ExportLogsServiceRequest.Parser.ParseFrom(batches[1].Body).ResourceLogs);
    }

    [Fact]
    public async Task Exports_queued_behind_a_slow_request_go_upstream_in_one_request_per_signal()
    {
        var upstream = new HeldUpstream();
        var statistics = new ReceiverStatistics();
        using var forwarder = new OtlpForwarder(
            Options.Create(new DiagnosticsOptions { Forward = new ForwardOptions { Endpoint = new Uri("http://upstream.test/") } }),
            new SingleClientFactory(upstream),
            statistics,
            NullLogger<OtlpForwarder>.Instance);
        await forwarder.StartAsync(Cancellation);

        forwarder.Forward(OtlpSignal.Traces, Traces("first"));
        await upstream.FirstArrived.WaitAsync(TimeSpan.FromSeconds(30), Cancellation);
        forwarder.Forward(OtlpSignal.Traces, Traces("second"));
        forwarder.Forward(OtlpSignal.Logs, Logs("second"));
        forwarder.Forward(OtlpSignal.Traces, Traces("third"));
        upstream.Release();
        await Eventually.WaitForAsync(() => Task.FromResult(statistics.Snapshot().ForwardedRequests == 4 ? "forwarded" : null), TimeSpan.FromSeconds(20), "all four exports forwarded");
        await forwarder.StopAsync(Cancellation);

        var requests = upstream.Requests;
        Assert.Equal(["/v1/traces", "/v1/traces", "/v1/logs"], requests.Select(request => request.Path));
        Assert.Equal(["first"], ServicesOf(ExportTraceServiceRequest.Parser.ParseFrom(requests[0].Body)));
        Assert.Equal(["second", "third"], ServicesOf(ExportTraceServiceRequest.Parser.ParseFrom(requests[1].Body)));
        Assert.Single(ExportLogsServiceRequest.Parser.ParseFrom(requests[2].Body).ResourceLogs);
        Assert.Equal(0, statistics.Snapshot().ForwardFailedRequests);
    }

    private static ExportTraceServiceRequest Traces(string service) => new()
    {
        ResourceSpans = { new ResourceSpans { Resource = Resource(service), ScopeSpans = { new ScopeSpans { Spans = { new Span { Name = "GET /" } } } } } },
    };

    private static ExportLogsServiceRequest Logs(string service) => new()
    {
        ResourceLogs = { new ResourceLogs { Resource = Resource(service), ScopeLogs = { new ScopeLogs { LogRecords = { new LogRecord() } } } } },
    };

    private static Resource Resource(string service) => new()
    {
        Attributes = { new OpenTelemetry.Proto.Common.V1.KeyValue { Key = "service.name", Value = new() { StringValue = service } } },
    };

    private static IEnumerable<string> ServicesOf(ExportTraceServiceRequest request) =>
        request.ResourceSpans.Select(resource => resource.Resource.Attributes.Single(attribute => attribute.Key == "service.name").Value.StringValue);

    /// <summary>Answers 200 to every request, but holds the first until <see cref="Release"/>.</summary>
    private sealed class HeldUpstream : HttpMessageHandler
    {
        private readonly TaskCompletionSource _firstArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock _gate = new();
        private readonly List<(string Path, byte[] Body)> _requests = [];

        public Task FirstArrived => _firstArrived.Task;

        public IReadOnlyList<(string Path, byte[] Body)> Requests
        {
            get
            {
                lock (_gate)
                {
                    return [.. _requests];
                }
            }
        }

        public void Release() => _released.TrySetResult();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            lock (_gate)
            {
                _requests.Add((request.RequestUri!.AbsolutePath, body));
            }

            _firstArrived.TrySetResult();
            await _released.Task.WaitAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }

    private sealed class SingleClientFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }
}
