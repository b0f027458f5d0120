using System.Globalization;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Diagnosis;

/// <summary>
/// Cache lookups a span records: from attributes named <c>*.cache.hits</c> / <c>*.cache.misses</c> (counts, as
/// Inventory's CheckAvailability span carries) or, on a span without counts, a boolean <c>*.cache_hit</c> /
/// <c>*.cache.hit</c>. Redis spans carry no hit or miss (a GET's reply is not recorded), so plain cache calls count none.
/// </summary>
public static class CacheLookups
{
    public static (long Hits, long Misses) Of(StoredSpan span)
    {
        ArgumentNullException.ThrowIfNull(span);
        long hits = 0, misses = 0;
        bool? hit = null;
        var counted = false;
        foreach (var attribute in span.Attributes)
        {
            // Every name looked for ends in 's' or 't': most keys are dismissed by their last character.
            if (attribute.Key.Length == 0 || attribute.Key[^1] is not ('s' or 't'))
            {
                continue;
            }

            if (attribute.Key.EndsWith("cache.hits", StringComparison.Ordinal) && TryCount(attribute.Value, out var count))
            {
                hits += count;
                counted = true;
            }
            else if (attribute.Key.EndsWith("cache.misses", StringComparison.Ordinal) && TryCount(attribute.Value, out count))
            {
                misses += count;
                counted = true;
            }
            else if ((attribute.Key.EndsWith("cache_hit", StringComparison.Ordinal) || attribute.Key.EndsWith("cache.hit", StringComparison.Ordinal))
                     && bool.TryParse(attribute.Value, out var flag))
            {
                hit = flag;
            }
        }

        if (counted || hit is null)
        {
            return (hits, misses);
        }

        return hit.Value ? (1, 0) : (0, 1);
    }

    private static bool TryCount(string text, out long count) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out count) && count >= 0;
}

/// <summary>
/// The cache lookups of a group of requests (their anchors' subtrees), summed: a cache that stopped working shows as a
/// miss ratio near 1 even when each request looks up too few keys for <see cref="Rules.CacheMissRule"/> to flag it.
/// </summary>
public sealed record CacheStatistics(long Lookups, long Misses, double MissRatio)
{
    public static CacheStatistics Of(IEnumerable<AnchoredTrace> traces)
    {
        ArgumentNullException.ThrowIfNull(traces);
        long hits = 0, misses = 0;
        foreach (var trace in traces)
        {
            foreach (var index in trace.Context.Tree.Subtree(trace.Anchor))
            {
                var (spanHits, spanMisses) = CacheLookups.Of(trace.Context.Span(index));
                hits += spanHits;
                misses += spanMisses;
            }
        }

        var lookups = hits + misses;
        return new CacheStatistics(lookups, misses, lookups == 0 ? 0 : DiagnosisMath.Round((double)misses / lookups, 4));
    }
}
