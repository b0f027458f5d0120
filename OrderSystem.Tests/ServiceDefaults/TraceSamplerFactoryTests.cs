using Microsoft.Extensions.Configuration;
using OpenTelemetry.Trace;
using OrderSystem.ServiceDefaults.Configuration;
using OrderSystem.ServiceDefaults.Telemetry;

namespace OrderSystem.Tests.ServiceDefaults;

[Trait("Category", "Integration")]
public sealed class TraceSamplerFactoryTests
{
    [Fact]
    public void Defaults_to_parent_based_always_on()
    {
        var sampler = TraceSamplerFactory.Create(Configuration());

        Assert.IsType<ParentBasedSampler>(sampler);
        Assert.Contains("AlwaysOnSampler", sampler.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Honours_parent_based_ratio()
    {
        var sampler = TraceSamplerFactory.Create(Configuration(("OTEL_TRACES_SAMPLER", "parentbased_traceidratio"), ("OTEL_TRACES_SAMPLER_ARG", "0.1")));

        Assert.IsType<ParentBasedSampler>(sampler);
        Assert.Contains("TraceIdRatioBasedSampler{0.100000}", sampler.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sometimes", null)]
    [InlineData("traceidratio", "1.5")]
    [InlineData("traceidratio", "ten percent")]
    public void Rejects_unknown_samplers_and_bad_ratios(string name, string? argument)
    {
        var exception = Assert.Throws<MissingConfigurationException>(() =>
            TraceSamplerFactory.Create(Configuration(("OTEL_TRACES_SAMPLER", name), ("OTEL_TRACES_SAMPLER_ARG", argument))));

        Assert.Contains("OTEL_TRACES_SAMPLER", exception.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, v.Value))).Build();
}
