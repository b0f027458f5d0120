using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Trace;
using OrderSystem.ServiceDefaults.Faults;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Faults;

/// <summary>
/// <c>AddFaultSwitches</c> in a service host, against a redis-server with a password: the connection string as the
/// AppHost gives it (<c>host:port,password=…</c>), and the Redis spans on the service's own tracer provider.
/// </summary>
[Trait("Category", "Integration")]
public sealed class FaultSwitchesRegistrationTests(PasswordRedisServerFixture fixture) : IClassFixture<PasswordRedisServerFixture>
{
    private static readonly TimeSpan SpanTimeout = TimeSpan.FromSeconds(30);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Switches_are_read_at_start_and_through_the_connection_string_each_read_a_redis_span_under_the_caller()
    {
        var ended = new EndedActivities();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "fault-switches-test" });
        builder.Configuration["ConnectionStrings:cache"] = fixture.Server.ConnectionString();
        builder.ConfigureOpenTelemetry();
        builder.AddFaultSwitches("cache");
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(ended));
        using var host = builder.Build();
        await host.StartAsync(Token);
        // Read while the host started (FaultSwitchesStartup), so no request waits for the connection.
        // (The Redis instrumentation reports commands without a parent span when it next drains them.)
        await Eventually.WaitForAsync(
            () => Task.FromResult(ended.All.FirstOrDefault(span => span.DisplayName == "HGETALL" && span.ParentSpanId == default)),
            SpanTimeout,
            "the HGETALL span of the read at start");
        using var caller = new ActivitySource(builder.Environment.ApplicationName);

        var store = host.Services.GetRequiredService<FaultStore>();
        await store.SetAsync(KnownFaults.ProductsNPlusOne, FaultState.On, Token);
        // The switch was read as off at start; the first read under a request that sees it on is the one that refreshed.
        var parent = default(ActivitySpanId);
        await Eventually.WaitUntilAsync(
            async () =>
            {
                using var request = caller.StartActivity("request");
                parent = request!.SpanId;
                return await host.Services.GetRequiredService<FaultSwitches>().IsOnAsync(KnownFaults.ProductsNPlusOne, Token);
            },
            FaultSwitches.RefreshInterval + SpanTimeout,
            "the switch to read as on");

        var read = await Eventually.WaitForAsync(
            () => Task.FromResult(ended.All.FirstOrDefault(span => span.DisplayName == "HGETALL" && span.ParentSpanId == parent)),
            SpanTimeout,
            "the HGETALL span under the caller's span");
        Assert.Equal(ActivityKind.Client, read.Kind);
        Assert.Equal("redis", read.GetTagItem("db.system") ?? read.GetTagItem("db.system.name"));
        Assert.Contains("HGETALL", ActivityTags.Statement(read), StringComparison.Ordinal);
        // The faults are optional: their client must not make the service unready when Redis is down.
        Assert.Empty(host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations);

        await store.SetAsync(KnownFaults.ProductsNPlusOne, FaultState.Off, Token);
        await host.StopAsync(Token);
    }

    /// <summary>The spans the tracer provider ended, as its exporter would get them.</summary>
    private sealed class EndedActivities : BaseProcessor<Activity>
    {
        private readonly ConcurrentQueue<Activity> _ended = new();

        public IReadOnlyList<Activity> All => [.. _ended];

        public override void OnEnd(Activity data) => _ended.Enqueue(data);
    }
}
