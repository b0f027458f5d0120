using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Diagnostics;

/// <summary>
/// The diagnostics service forwards what it keeps to the upstream OTLP endpoint (the Aspire dashboard under the
/// AppHost); here the upstream is a second diagnostics service, a real OTLP/HTTP receiver whose API shows what arrived.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ForwardingTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_tail_sampling_everything_received_is_forwarded()
    {
        await using var upstream = await DiagnosticsServer.StartAsync();
        await using var diagnostics = await DiagnosticsServer.StartAsync(
            ("Diagnostics:Forward:Endpoint", upstream.BaseAddress.ToString()),
            ("Diagnostics:Forward:ApiKey", upstream.OtlpApiKey));
        var sourceName = $"forward.{Guid.NewGuid():N}";
        using var source = new ActivitySource(sourceName);

        string traceId;
        using (var provider = OtlpExporters.Tracing(diagnostics, "forwarded-svc", sourceName))
        {
            traceId = ExportTrace(source, error: false);
            provider.ForceFlush();
        }

        await WaitUntilUpstreamHasAsync(upstream, traceId, spans: 2);
        Assert.Equal(HttpStatusCode.OK, (await diagnostics.Client.GetAsync($"api/traces/{traceId}", Cancellation)).StatusCode);
    }

    [Fact]
    public async Task With_tail_sampling_only_the_kept_traces_are_forwarded_whole_and_every_log_record()
    {
        await using var upstream = await DiagnosticsServer.StartAsync();
        await using var diagnostics = await DiagnosticsServer.StartAsync(
            ("Diagnostics:Forward:Endpoint", upstream.BaseAddress.ToString()),
            ("Diagnostics:Forward:ApiKey", upstream.OtlpApiKey),
            ("Diagnostics:TailSampling:Enabled", "true"),
            // None of the ordinary traces is kept: an error trace is, whatever the ratio. Nor for its duration, which a
            // machine busy with other tests can stretch past the default second between two spans.
            ("Diagnostics:TailSampling:KeepRatio", "0"),
            ("Diagnostics:TailSampling:LatencyThresholdMs", "3600000"),
            ("Diagnostics:TailSampling:DecisionWait", "00:00:03"),
            ("Diagnostics:TailSampling:RootGrace", "00:00:00.200"));
        var sourceName = $"forward.{Guid.NewGuid():N}";
        using var source = new ActivitySource(sourceName);

        string dropped, kept;
        using (var tracing = OtlpExporters.Tracing(diagnostics, "sampled-svc", sourceName))
        using (var logging = OtlpExporters.Logging(diagnostics, "sampled-svc"))
        {
            dropped = ExportTrace(source, error: false);
            logging.CreateLogger("Checkout").LogInformation("A log record of a trace that tail sampling drops");
            kept = ExportTrace(source, error: true);
            Assert.True(tracing.ForceFlush(10_000));
        }

        // Decided DecisionWait (3 s) after their last span; the deadline allows for a machine busy with other tests.
        var lastSeen = string.Empty;
        await Eventually.WaitForAsync(async () =>
            {
                using var stats = JsonDocument.Parse(await diagnostics.Client.GetStringAsync("api/stats", Cancellation));
                var sampling = stats.RootElement.GetProperty("tailSampling");
                lastSeen = sampling.GetRawText();
                return sampling.GetProperty("keptTraces").GetInt64() == 1 && sampling.GetProperty("droppedTraces").GetInt64() == 1 ? "decided" : null;
            },
            TimeSpan.FromSeconds(60),
            "both traces decided",
            explain: () => Task.FromResult($"tail sampling's counts: {lastSeen}"));

        // The kept trace arrives upstream with both spans; the forwarder sends in order, and the dropped trace was
        // decided no later than the kept one, so had it been queued it would be there by now.
        await WaitUntilUpstreamHasAsync(upstream, kept, spans: 2);
        Assert.Equal(HttpStatusCode.NotFound, (await upstream.Client.GetAsync($"api/traces/{dropped}", Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await diagnostics.Client.GetAsync($"api/traces/{dropped}", Cancellation)).StatusCode);

        // Logs are never sampled.
        await Eventually.WaitForAsync(async () =>
        {
            using var logs = JsonDocument.Parse(await upstream.Client.GetStringAsync("api/logs?service=sampled-svc", Cancellation));
            return logs.RootElement.GetProperty("data").GetArrayLength() == 1 ? "forwarded" : null;
        }, Deadline, "the log record upstream");
    }

    /// <summary>A root span and its child, in error when asked, ended at once.</summary>
    private static string ExportTrace(ActivitySource source, bool error)
    {
        using var root = source.StartActivity("POST /checkout", ActivityKind.Server)!;
        using (var child = source.StartActivity("SELECT ordersdb", ActivityKind.Client)!)
        {
            if (error)
            {
                child.SetStatus(ActivityStatusCode.Error, "deadlock detected");
            }
        }

        return root.TraceId.ToHexString();
    }

    private static Task WaitUntilUpstreamHasAsync(DiagnosticsServer upstream, string traceId, int spans) =>
        Eventually.WaitForAsync(async () =>
        {
            using var response = await upstream.Client.GetAsync($"api/traces/{traceId}", Cancellation);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            using var trace = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
            return trace.RootElement.GetProperty("data")[0].GetProperty("spans").GetArrayLength() == spans ? "arrived" : null;
        }, Deadline, $"trace {traceId} upstream with {spans} spans");
}
