using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace OrderSystem.Tests.ServiceDefaults;

/// <summary>The OpenTelemetry SDK that ServiceDefaults sets up samples as OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG say.</summary>
[Trait("Category", "Integration")]
public sealed class TraceSamplerTests
{
    [Theory]
    [InlineData(null, null, true)]
    [InlineData("always_off", null, false)]
    [InlineData("traceidratio", "0", false)]
    [InlineData("parentbased_traceidratio", "1", true)]
    public async Task A_root_span_is_exported_as_the_configured_sampler_decides(string? sampler, string? argument, bool exported)
    {
        var sourceName = $"OrderSystem.Tests.Sampler.{Guid.NewGuid():N}";
        var spans = new List<Activity>();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_TRACES_SAMPLER"] = sampler,
            ["OTEL_TRACES_SAMPLER_ARG"] = argument,
        });
        builder.AddServiceDefaults();
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(sourceName).AddInMemoryExporter(spans));
        using var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);

        using (var source = new ActivitySource(sourceName))
        {
            source.StartActivity("root")?.Dispose();
        }

        // The in-memory exporter runs in a simple processor: a span is exported as it stops.
        Assert.Equal(exported, spans.Any(span => span.DisplayName == "root"));
        await host.StopAsync(TestContext.Current.CancellationToken);
    }
}
