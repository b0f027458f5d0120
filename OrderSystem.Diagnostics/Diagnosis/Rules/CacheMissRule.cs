using System.Globalization;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Diagnosis.Rules;

/// <summary>
/// A trace whose cache lookups mostly missed: the ratio of misses over at least
/// <see cref="DiagnosisOptions.CacheMinLookups"/> lookups above <see cref="DiagnosisOptions.CacheMissRatio"/>, the
/// lookups counted by <see cref="CacheLookups"/>.
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
            var (spanHits, spanMisses) = CacheLookups.Of(context.Span(i));
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
}
