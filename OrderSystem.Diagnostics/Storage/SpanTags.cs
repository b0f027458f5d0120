namespace OrderSystem.Diagnostics.Storage;

/// <summary>
/// The tags Jaeger derives from OTLP span fields (kind, status, scope). They are shown on every span and can be
/// searched like attributes, so the Jaeger UI's "error=true" search works.
/// </summary>
public static class SpanTags
{
    public const string Error = "error";
    public const string SpanKind = "span.kind";
    public const string StatusCode = "otel.status_code";
    public const string StatusDescription = "otel.status_description";
    public const string ScopeName = "otel.scope.name";
    public const string ScopeVersion = "otel.scope.version";

    public static string? KindName(SpanKind kind) => kind switch
    {
        Storage.SpanKind.Internal => "internal",
        Storage.SpanKind.Server => "server",
        Storage.SpanKind.Client => "client",
        Storage.SpanKind.Producer => "producer",
        Storage.SpanKind.Consumer => "consumer",
        _ => null,
    };

    public static string? StatusName(SpanStatusCode code) => code switch
    {
        SpanStatusCode.Ok => "OK",
        SpanStatusCode.Error => "ERROR",
        _ => null,
    };

    public static bool IsDerived(string key) => key is Error or SpanKind or StatusCode or ScopeName;

    /// <summary>The value of a derived tag, or null when <paramref name="key"/> is not one.</summary>
    public static string? DerivedValue(StoredSpan span, string key) => key switch
    {
        Error => span.IsError ? "true" : "false",
        SpanKind => KindName(span.Kind) ?? string.Empty,
        StatusCode => StatusName(span.StatusCode) ?? string.Empty,
        ScopeName => span.Scope.Name,
        _ => null,
    };
}
