using System.Diagnostics;
using System.Text.Json;

namespace OrderSystem.Tests.LoadGenerator;

/// <summary>
/// The open model against the fake Gateway: the arrival rate holds, and latency counts from the intended start.
/// Each timing bound points the way a busy machine cannot push it (a stall makes sends later, never earlier), so
/// the tests hold on a loaded CI runner and still fail for a generator that bursts or measures from the send.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OpenModelPacingTests
{
    [Fact]
    public async Task Sends_rate_times_duration_requests_spread_over_the_duration()
    {
        await using var gateway = await FakeGateway.StartAsync();

        var outcome = await LoadGeneratorProcess.RunAgainstAsync(gateway, "--rate", "50", "--duration", "3s", "--warmup", "0", "--mix", "browse=1", "--seed", "1");

        Assert.Equal(0, outcome.ExitCode);
        var result = outcome.Result!.Value;
        var totals = result.GetProperty("totals");
        // 150 arrivals are intended inside 3 s at 50/s; the open model sends every one, late or not.
        Assert.Equal(150, totals.GetProperty("requests").GetInt64());
        Assert.Equal(0, totals.GetProperty("errors").GetInt64());
        Assert.Equal(0, totals.GetProperty("unsent").GetInt64());
        Assert.InRange(totals.GetProperty("throughput").GetDouble(), 1, 55);

        // The Gateway saw the catalogue fetch and then the 150, spread over the 3 s rather than in a burst.
        var browses = gateway.Received.Where(request => request.Route == "GET /api/products").Select(request => request.ArrivedAt).Order().ToArray();
        Assert.Equal(151, browses.Length);
        var loadStart = browses[1];
        var firstSecond = browses.Skip(1).Count(arrived => Stopwatch.GetElapsedTime(loadStart, arrived) < TimeSpan.FromSeconds(1));
        Assert.InRange(firstSecond, 1, 55);
        Assert.True(Stopwatch.GetElapsedTime(loadStart, browses[^1]).TotalSeconds >= 2.7, "the last arrival was sent before its time");
    }

    [Fact]
    public async Task Leaves_the_warmup_out_of_the_result()
    {
        await using var gateway = await FakeGateway.StartAsync();

        var outcome = await LoadGeneratorProcess.RunAgainstAsync(gateway, "--rate", "40", "--duration", "1s", "--warmup", "1s", "--mix", "browse=1");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(40, outcome.Result!.Value.GetProperty("totals").GetProperty("requests").GetInt64());
        Assert.Equal(1 + 80, gateway.CountOf("GET /api/products"));
    }

    [Fact]
    public async Task Measures_latency_from_the_intended_start_when_requests_cannot_be_sent_on_time()
    {
        // One request in flight at a time, each taking 100 ms, while 20 arrive per second: arrival k is intended at
        // 50k ms but can only be sent at about 100k ms. Measured from the send, every latency would be ~100 ms.
        await using var gateway = await FakeGateway.StartAsync(new FakeGatewayBehaviour { Delay = TimeSpan.FromMilliseconds(100) });

        var outcome = await LoadGeneratorProcess.RunAgainstAsync(
            gateway, "--rate", "20", "--duration", "2s", "--warmup", "0", "--mix", "browse=1", "--max-in-flight", "1");

        Assert.Equal(0, outcome.ExitCode);
        var totals = outcome.Result!.Value.GetProperty("totals");
        var latency = totals.GetProperty("latencyMs");
        // The first request is sent on time: its latency is at least the service time (100 ms, less timer resolution).
        Assert.True(latency.GetProperty("min").GetDouble() >= 95, $"min {latency.GetProperty("min")} ms is less than the service time");
        Assert.True(latency.GetProperty("p50").GetDouble() > 300, $"p50 {latency.GetProperty("p50")} ms should include the wait to be sent");
        Assert.True(latency.GetProperty("p99").GetDouble() > 700, $"p99 {latency.GetProperty("p99")} ms should include the wait to be sent");
        Assert.Equal(1, gateway.MaxConcurrent);

        // Every one of the 40 intended arrivals was either sent or, with no free slot by the end, counted as unsent:
        // at 100 ms each, at most about 20 fit in the 2 s.
        var requests = totals.GetProperty("requests").GetInt64();
        var unsent = totals.GetProperty("unsent").GetInt64();
        Assert.Equal(40, requests + unsent);
        Assert.InRange(unsent, 10, 39);
        Assert.Contains("arrivals were not sent", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Counts_the_slowness_of_a_serial_gateway_in_the_percentiles()
    {
        // Queueing in the Gateway (one worker, 50 ms each, 30 arrivals per second) shows as growing latency.
        await using var gateway = await FakeGateway.StartAsync(new FakeGatewayBehaviour { Delay = TimeSpan.FromMilliseconds(50), OneAtATime = true });

        var outcome = await LoadGeneratorProcess.RunAgainstAsync(gateway, "--rate", "30", "--duration", "2s", "--warmup", "0", "--mix", "browse=1");

        var endpoint = Endpoint(outcome.Result!.Value, "GET /api/products");
        Assert.Equal(60, endpoint.GetProperty("requests").GetInt64());
        Assert.True(endpoint.GetProperty("latencyMs").GetProperty("max").GetDouble() > 500);
        Assert.True(endpoint.GetProperty("latencyMs").GetProperty("p50").GetDouble() > endpoint.GetProperty("latencyMs").GetProperty("min").GetDouble() * 2);
    }

    private static JsonElement Endpoint(JsonElement result, string name) =>
        result.GetProperty("endpoints").EnumerateArray().Single(endpoint => endpoint.GetProperty("endpoint").GetString() == name);
}
