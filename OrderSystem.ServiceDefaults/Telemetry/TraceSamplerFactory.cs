using System.Globalization;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Trace;

namespace OrderSystem.ServiceDefaults.Telemetry;

/// <summary>
/// Builds the sampler from <c>OTEL_TRACES_SAMPLER</c> / <c>OTEL_TRACES_SAMPLER_ARG</c> as the OpenTelemetry
/// SDK environment specification defines them; parent-based always-on when unset, so a local run keeps every trace.
/// </summary>
public static class TraceSamplerFactory
{
    public static Sampler Create(IConfiguration configuration)
    {
        var name = configuration["OTEL_TRACES_SAMPLER"]?.Trim().ToLowerInvariant();
        var argument = configuration["OTEL_TRACES_SAMPLER_ARG"];

        return name switch
        {
            null or "" or "parentbased_always_on" => new ParentBasedSampler(new AlwaysOnSampler()),
            "always_on" => new AlwaysOnSampler(),
            "always_off" => new AlwaysOffSampler(),
            "parentbased_always_off" => new ParentBasedSampler(new AlwaysOffSampler()),
            "traceidratio" => new TraceIdRatioBasedSampler(ParseRatio(argument)),
            "parentbased_traceidratio" => new ParentBasedSampler(new TraceIdRatioBasedSampler(ParseRatio(argument))),
            _ => throw new Configuration.MissingConfigurationException(
                $"OTEL_TRACES_SAMPLER '{name}' is not supported: use always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off or parentbased_traceidratio."),
        };
    }

    private static double ParseRatio(string? argument)
    {
        // The specification's default ratio is 1.0 when the argument is missing.
        if (string.IsNullOrWhiteSpace(argument))
        {
            return 1.0;
        }

        if (double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) && ratio is >= 0 and <= 1)
        {
            return ratio;
        }

        throw new Configuration.MissingConfigurationException(
            $"OTEL_TRACES_SAMPLER_ARG '{argument}' is not a ratio between 0 and 1 (for example 0.1).");
    }
}
