using System.Globalization;
using OrderSystem.Dashboard.Storage;

namespace OrderSystem.Dashboard.Diagnosis.Rules;

/// <summary>
/// A trace whose cache lookups mostly missed: the ratio of misses over at least
/// <see cref="DiagnosisOptions.CacheMinLookups"/> lookups above <see cref="DiagnosisOptions.CacheMissRatio"/>.
/// Lookups are counted from attributes named <c>*.cache.hits</c> / <c>*.cache.misses</c> (counts, as Inventory's
/// CheckAvailability span carries) or, on a span without counts, a boolean <c>*.cache_hit</c> / <c>*.cache.hit</c>.
/// Redis spans carry no hit or miss (a GET's reply is not recorded), so plain cache calls are not counted.
/// </summary>
public sealed class CacheMissRule : IFindingRule
{
    public IEnumerable<Finding> Evaluate(DiagnosisContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        long hits = 0, misses = 0;
        var missing = new List<int>();
        for (var i = 0; i < context.Tree.Count; i++)
        {
            var (spanHits, spanMisses) = Lookups(context.Span(i));
            hits += spanHits;
            misses += spanMisses;
            if (spanMisses > 0)
            {
                missing.Add(i);
            }
        }

        var lookups = hits + misses;
        if (lookups < context.Options.CacheMinLookups || (double)misses / lookups <= context.Options.CacheMissRatio)
        {
            yield break;
        }

        yield return new Finding(
            FindingKinds.CacheMiss,
            FindingSeverity.Warning,
            "Cache misses",
            string.Create(CultureInfo.InvariantCulture,
                $"{misses} of {lookups} cache lookups missed ({100.0 * misses / lookups:0}%): the data was read from the database instead."),
            new FindingEvidence(context.SpanIdsOf(missing), Count: (int)Math.Min(misses, int.MaxValue)));
    }

    private static (long Hits, long Misses) Lookups(StoredSpan span)
    {
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
