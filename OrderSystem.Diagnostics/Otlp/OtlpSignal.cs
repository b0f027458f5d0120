namespace OrderSystem.Diagnostics.Otlp;

/// <summary>The three OTLP signals and their OTLP/HTTP paths.</summary>
public enum OtlpSignal
{
    Traces,
    Logs,
    Metrics,
}

public static class OtlpSignalPaths
{
    public const string Traces = "/v1/traces";
    public const string Logs = "/v1/logs";
    public const string Metrics = "/v1/metrics";

    public static string Of(OtlpSignal signal) => signal switch
    {
        OtlpSignal.Traces => Traces,
        OtlpSignal.Logs => Logs,
        _ => Metrics,
    };
}
