using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using OrderSystem.Diagnostics.Sampling;
using OrderSystem.Diagnostics.Storage;
using OrderSystem.Tests.Diagnostics;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Diagnosis;

/// <summary>
/// Tail sampling in a running dashboard fed by the stock OpenTelemetry exporter: errors and slow traces are all kept,
/// a share of the rest by trace id, the counts show in /api/stats, and logs are never sampled.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TailSamplingDashboardTests : IAsyncLifetime
{
    private const double KeepRatio = 0.25;

    private DiagnosticsServer _dashboard = null!;

    public async ValueTask InitializeAsync() => _dashboard = await DiagnosticsServer.StartAsync(
        ("Diagnostics:TailSampling:Enabled", "true"),
        ("Diagnostics:TailSampling:KeepRatio", "0.25"),
        ("Diagnostics:TailSampling:LatencyThresholdMs", "1000"),
        // Long enough that a loaded machine never splits a trace's two exports; the root span ends the wait anyway.
        ("Diagnostics:TailSampling:DecisionWait", "00:00:03"),
        ("Diagnostics:TailSampling:RootGrace", "00:00:00.200"));

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task Errors_and_slow_traces_are_all_kept_a_share_of_the_rest_and_the_counts_are_in_the_stats()
    {
        var sourceName = $"tail.{Guid.NewGuid():N}";
        using var source = new ActivitySource(sourceName);
        var normal = new List<string>();
        var failed = new List<string>();
        var slow = new List<string>();
        using (var tracing = OtlpExporters.Tracing(_dashboard, "tail-gateway", sourceName))
        using (var logging = OtlpExporters.Logging(_dashboard, "tail-gateway"))
        {
            var logger = logging.CreateLogger("Checkout");
            for (var i = 0; i < 100; i++)
            {
                normal.Add(Export(source, error: false, startedAgo: TimeSpan.Zero, logger));
            }

            for (var i = 0; i < 5; i++)
            {
                failed.Add(Export(source, error: true, startedAgo: TimeSpan.Zero, logger));
                slow.Add(Export(source, error: false, startedAgo: TimeSpan.FromSeconds(1.5), logger));
            }

            Assert.True(tracing.ForceFlush(10_000));
        }

        using var stats = await Eventually.WaitForAsync(async () =>
        {
            var document = JsonDocument.Parse(await _dashboard.Client.GetStringAsync("api/stats", TestContext.Current.CancellationToken));
            var sampling = document.RootElement.GetProperty("tailSampling");
            if (sampling.GetProperty("pendingTraces").GetInt32() == 0 && sampling.GetProperty("keptTraces").GetInt64() + sampling.GetProperty("droppedTraces").GetInt64() == 110)
            {
                return document;
            }

            document.Dispose();
            return null;
        }, TimeSpan.FromSeconds(20), "every trace decided");

        var keptNormal = normal.Where(id => TraceId.TryParse(id, out var traceId) && TailSampler.IsInKeptShare(traceId, KeepRatio)).ToList();
        var counts = stats.RootElement.GetProperty("tailSampling");
        Assert.True(counts.GetProperty("enabled").GetBoolean());
        Assert.Equal(5, counts.GetProperty("keptForError").GetInt64());
        Assert.Equal(5, counts.GetProperty("keptForLatency").GetInt64());
        Assert.Equal(keptNormal.Count, counts.GetProperty("keptByRatio").GetInt64());
        Assert.Equal(10 + keptNormal.Count, counts.GetProperty("keptTraces").GetInt64());
        Assert.Equal(100 - keptNormal.Count, counts.GetProperty("droppedTraces").GetInt64());
        Assert.Equal(2 * (10 + keptNormal.Count), counts.GetProperty("keptSpans").GetInt64());
        Assert.InRange(keptNormal.Count, 10, 45);
        Assert.Equal(2 * (10 + keptNormal.Count), stats.RootElement.GetProperty("traces").GetProperty("spanCount").GetInt32());

        foreach (var id in failed.Concat(slow).Concat(keptNormal))
        {
            Assert.Equal(2, await SpanCountAsync(id));
        }

        var droppedId = normal.Except(keptNormal).First();
        Assert.Equal(0, await SpanCountAsync(droppedId));
        using var logs = JsonDocument.Parse(await _dashboard.Client.GetStringAsync($"api/logs?traceId={droppedId}", TestContext.Current.CancellationToken));
        Assert.Single(logs.RootElement.GetProperty("data").EnumerateArray());
    }

    private static string Export(ActivitySource source, bool error, TimeSpan startedAgo, ILogger logger)
    {
        // Explicit times: on a loaded machine the first call's JIT alone can outlast the latency threshold.
        var start = DateTimeOffset.UtcNow - startedAgo;
        var duration = startedAgo > TimeSpan.Zero ? startedAgo : TimeSpan.FromMilliseconds(2);
        using var root = source.StartActivity("POST /api/orders", ActivityKind.Server, default(ActivityContext), startTime: start)!;
        root.SetEndTime((start + duration).UtcDateTime);
        using (var child = source.StartActivity("orders.OrderService/PlaceOrder", ActivityKind.Client, root.Context, startTime: start.AddMilliseconds(0.5))!)
        {
            child.SetEndTime((start + duration / 2).UtcDateTime);
            child.SetTag("rpc.system", "grpc");
            if (error)
            {
                child.SetStatus(ActivityStatusCode.Error, "UNAVAILABLE");
            }

            logger.LogInformation("Placing order");
        }

        return root.TraceId.ToHexString();
    }

    private async Task<int> SpanCountAsync(string traceId)
    {
        using var response = await _dashboard.Client.GetAsync($"api/traces/{traceId}", TestContext.Current.CancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return 0;
        }

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return document.RootElement.GetProperty("data")[0].GetProperty("spans").GetArrayLength();
    }
}
