namespace OrderSystem.Diagnostics.Storage;

/// <summary>
/// Approximates the bytes a stored span keeps alive: the object, its arrays, the text of its values and its index
/// entries. Pooled strings are counted as if they were not shared, so the figure errs on the high side.
/// </summary>
internal static class SpanSizeEstimator
{
    private const int SpanObjectBytes = 176;
    private const int ArrayHeaderBytes = 24;
    private const int AttributeBytes = 24;
    private const int StringHeaderBytes = 22;
    private const int PostingBytes = 8;
    private const int EventObjectBytes = 48;
    private const int LinkObjectBytes = 56;

    public static int Estimate(StoredSpan span)
    {
        // Service and operation postings, plus one per indexed attribute.
        var bytes = SpanObjectBytes + (2 * PostingBytes) + Attributes(span.Attributes, indexed: true);
        if (span.StatusMessage is not null)
        {
            bytes += Text(span.StatusMessage);
        }

        foreach (var spanEvent in span.Events)
        {
            bytes += EventObjectBytes + Attributes(spanEvent.Attributes, indexed: false);
        }

        foreach (var link in span.Links)
        {
            bytes += LinkObjectBytes + Attributes(link.Attributes, indexed: false);
        }

        return bytes;
    }

    private static int Attributes(StoredAttribute[] attributes, bool indexed)
    {
        if (attributes.Length == 0)
        {
            return 0;
        }

        var bytes = ArrayHeaderBytes + (attributes.Length * AttributeBytes);
        foreach (var attribute in attributes)
        {
            bytes += Text(attribute.Value) + (indexed ? PostingBytes : 0);
        }

        return bytes;
    }

    private static int Text(string value) => StringHeaderBytes + (2 * value.Length);
}
