using Microsoft.Extensions.Configuration;

namespace OrderSystem.AppHost.Infrastructure;

/// <summary>
/// Two switches for measuring the order path (docs/benchmarks.md, "Order path"), both off unless configured:
/// <c>OrderSystem:Benchmark=true</c> lifts what shapes traffic on purpose (the Gateway's per-key rate limit, the
/// simulated payment provider's latency, failures and declines) and tail-samples in the trace backend, and <c>OrderSystem:Tracing=off</c> has every project
/// sample no span (<c>OTEL_TRACES_SAMPLER=always_off</c>), to set the cost of tracing against <c>on</c>
/// (<c>always_on</c>). Each is passed as the services' own configuration, so the services keep a single code path.
/// </summary>
public static class BenchmarkMode
{
    public const string ConfigurationKey = "OrderSystem:Benchmark";
    public const string TracingConfigurationKey = "OrderSystem:Tracing";

    private const string GatewayResourceName = "gateway";
    private const string PaymentsResourceName = "payments";
    private const string DiagnosticsResourceName = "diagnostics";

    // The highest the Gateway's options accept (ApiKeyRateLimitOptions): far above what one machine can send.
    private const string UnlimitedPermits = "1000000";

    // About one ordinary order's trace a second on top of every failed and slow one: more than a person reads. The
    // Aspire dashboard spends about half a millisecond of CPU on each span it stores (docs/benchmarks.md, thirteenth round).
    private const string RatioSpansPerSecond = "30";

    /// <summary>Applies the switches to the projects already in the model; call it once they are all added.</summary>
    public static IDistributedApplicationBuilder ApplyBenchmarkSettings(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Configuration.GetValue<bool>(ConfigurationKey))
        {
            Project(builder, GatewayResourceName)
                .WithEnvironment("RateLimiting__PermitsPerSecond", UnlimitedPermits)
                .WithEnvironment("RateLimiting__Burst", UnlimitedPermits);
            Project(builder, PaymentsResourceName)
                .WithEnvironment("PaymentProvider__LatencyMs", "0")
                .WithEnvironment("PaymentProvider__FailureRate", "0")
                .WithEnvironment("PaymentProvider__DeclineRate", "0");
            // The trace backend as it runs outside Development: every span is still sampled and exported to it, and it
            // keeps every failed or slow trace and a tenth of the rest, the rest at most RatioSpansPerSecond. The Aspire
            // dashboard stores what it is sent in SQLite on the same two cores and fell minutes behind under load when
            // sent every span, and still behind when sent a tenth (docs/benchmarks.md, seventh and eighth rounds).
            Project(builder, DiagnosticsResourceName)
                .WithEnvironment("Diagnostics__TailSampling__Enabled", "true")
                .WithEnvironment("Diagnostics__TailSampling__RatioSpansPerSecond", RatioSpansPerSecond);
        }

        if (TracesSampler(builder.Configuration[TracingConfigurationKey]) is { } sampler)
        {
            foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
            {
                // Added after AddProject's OTEL_* settings (always_on in Development), so this one wins.
                builder.CreateResourceBuilder(project).WithEnvironment("OTEL_TRACES_SAMPLER", sampler);
            }
        }

        return builder;
    }

    private static string? TracesSampler(string? tracing) => tracing switch
    {
        null or "" => null,
        _ when tracing.Equals("on", StringComparison.OrdinalIgnoreCase) => "always_on",
        _ when tracing.Equals("off", StringComparison.OrdinalIgnoreCase) => "always_off",
        _ => throw new DistributedApplicationException($"{TracingConfigurationKey} is '{tracing}': use on or off."),
    };

    private static IResourceBuilder<ProjectResource> Project(IDistributedApplicationBuilder builder, string name) =>
        builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(resource => resource.Name == name));
}
