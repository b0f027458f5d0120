using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Diagnosis;

/// <summary>What a span spends its time on, from its semantic-convention attributes.</summary>
public enum SpanCategory
{
    Internal,
    Database,
    Cache,
    Messaging,
    Rpc,
    Http,
}

public static class SpanCategories
{
    public static SpanCategory Of(StoredSpan span)
    {
        ArgumentNullException.ThrowIfNull(span);
        if (SpanConventions.DatabaseSystem(span) is { } system)
        {
            return SpanConventions.IsCacheSystem(system) ? SpanCategory.Cache : SpanCategory.Database;
        }

        if (span.TryGetAttribute(SpanConventions.MessagingSystem, out _))
        {
            return SpanCategory.Messaging;
        }

        if (SpanConventions.IsRpc(span))
        {
            return SpanCategory.Rpc;
        }

        return span.TryGetAttribute(SpanConventions.HttpRequestMethod, out _) || span.TryGetAttribute(SpanConventions.HttpMethodLegacy, out _)
            ? SpanCategory.Http
            : SpanCategory.Internal;
    }

    /// <summary>The lower-case name used in JSON and the UI.</summary>
    public static string Name(SpanCategory category) => category switch
    {
        SpanCategory.Database => "database",
        SpanCategory.Cache => "cache",
        SpanCategory.Messaging => "messaging",
        SpanCategory.Rpc => "rpc",
        SpanCategory.Http => "http",
        _ => "internal",
    };
}
