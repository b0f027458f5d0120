using System.Globalization;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Query;

/// <summary>
/// Maps stored spans to Jaeger's model the way Jaeger's own OTLP translator does: parent as CHILD_OF, links as
/// FOLLOWS_FROM, events as logs, resources as processes, kind/status/scope as tags, times in microseconds.
/// </summary>
public static class JaegerTraceMapper
{
    public static JaegerTrace Map(TraceSnapshot trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var processIds = new Dictionary<ResourceInfo, string>(ReferenceEqualityComparer.Instance);
        var processes = new Dictionary<string, JaegerProcess>(StringComparer.Ordinal);
        var spans = new List<JaegerSpan>(trace.Spans.Count);
        foreach (var span in trace.Spans.OrderBy(s => s.StartUnixNano))
        {
            if (!processIds.TryGetValue(span.Resource, out var processId))
            {
                processId = string.Create(CultureInfo.InvariantCulture, $"p{processIds.Count + 1}");
                processIds.Add(span.Resource, processId);
                processes.Add(processId, MapProcess(span.Resource));
            }

            spans.Add(MapSpan(span, processId));
        }

        return new JaegerTrace(trace.TraceId.ToString(), spans, processes, null);
    }

    public static JaegerTag MapTag(StoredAttribute attribute) => new(attribute.Key, TypeName(attribute.Type), attribute.Value);

    public static long Microseconds(long unixNano) => unixNano / 1_000;

    private static JaegerSpan MapSpan(StoredSpan span, string processId)
    {
        var traceId = span.TraceId.ToString();
        var references = new List<JaegerReference>(1 + span.Links.Length);
        if (!span.ParentSpanId.IsEmpty)
        {
            references.Add(new JaegerReference(JaegerReferenceTypes.ChildOf, traceId, span.ParentSpanId.ToString()));
        }

        references.AddRange(span.Links.Select(link => new JaegerReference(JaegerReferenceTypes.FollowsFrom, link.TraceId.ToString(), link.SpanId.ToString())));

        return new JaegerSpan(
            traceId,
            span.SpanId.ToString(),
            span.Name,
            references,
            Flags: 1,
            Microseconds(span.StartUnixNano),
            Microseconds(span.DurationNano),
            Tags(span),
            [.. span.Events.Select(e => new JaegerLog(Microseconds(e.TimeUnixNano), [new JaegerTag("event", JaegerTagTypes.String, e.Name), .. e.Attributes.Select(MapTag)]))],
            processId,
            Warnings(span));
    }

    private static List<JaegerTag> Tags(StoredSpan span)
    {
        var tags = new List<JaegerTag>(span.Attributes.Length + 5);
        tags.AddRange(span.Attributes.Select(MapTag));
        if (SpanTags.KindName(span.Kind) is { } kind)
        {
            tags.Add(new JaegerTag(SpanTags.SpanKind, JaegerTagTypes.String, kind));
        }

        if (SpanTags.StatusName(span.StatusCode) is { } status)
        {
            tags.Add(new JaegerTag(SpanTags.StatusCode, JaegerTagTypes.String, status));
        }

        if (span.StatusMessage is not null)
        {
            tags.Add(new JaegerTag(SpanTags.StatusDescription, JaegerTagTypes.String, span.StatusMessage));
        }

        if (span.IsError)
        {
            tags.Add(new JaegerTag(SpanTags.Error, JaegerTagTypes.Bool, "true"));
        }

        if (span.Scope.Name.Length > 0)
        {
            tags.Add(new JaegerTag(SpanTags.ScopeName, JaegerTagTypes.String, span.Scope.Name));
        }

        if (span.Scope.Version.Length > 0)
        {
            tags.Add(new JaegerTag(SpanTags.ScopeVersion, JaegerTagTypes.String, span.Scope.Version));
        }

        return tags;
    }

    private static List<string>? Warnings(StoredSpan span)
    {
        List<string>? warnings = null;
        void Add(int dropped, string what)
        {
            if (dropped > 0)
            {
                (warnings ??= []).Add(string.Create(CultureInfo.InvariantCulture, $"{dropped} {what} dropped by the sender"));
            }
        }

        Add(span.DroppedAttributesCount, "attribute(s)");
        Add(span.DroppedEventsCount, "event(s)");
        Add(span.DroppedLinksCount, "link(s)");
        return warnings;
    }

    private static JaegerProcess MapProcess(ResourceInfo resource) =>
        new(resource.ServiceName, [.. resource.Attributes.Where(a => a.Key != "service.name").Select(MapTag)]);

    private static string TypeName(AttributeValueType type) => type switch
    {
        AttributeValueType.Bool => JaegerTagTypes.Bool,
        AttributeValueType.Int64 => JaegerTagTypes.Int64,
        AttributeValueType.Float64 => JaegerTagTypes.Float64,
        AttributeValueType.Binary => JaegerTagTypes.Binary,
        _ => JaegerTagTypes.String,
    };
}
