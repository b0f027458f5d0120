using System.Text.Json;
using System.Text.RegularExpressions;

namespace OrderSystem.Diagnostics.Plans;

/// <summary>Reads the sequential scans out of <c>EXPLAIN (FORMAT JSON, VERBOSE)</c>.</summary>
public static partial class JsonPlan
{
    /// <summary>Every <c>Seq Scan</c> with a filter, and the relation it reads; the table's rows are filled in later.</summary>
    public static IReadOnlyList<SequentialScan> FilteredScans(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        var scans = new List<SequentialScan>();
        foreach (var statement in document.RootElement.EnumerateArray())
        {
            Collect(statement.GetProperty("Plan"), scans);
        }

        return scans;
    }

    /// <summary>The plan's estimate of the rows it returns (<c>Plan Rows</c> of the top node).</summary>
    public static double PlanRows(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        return document.RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").GetDouble();
    }

    /// <summary>
    /// The columns a filter compares, in order, those compared for equality (<c>=</c>, <c>= ANY</c>) first: an index
    /// on them, equalities leading, serves the filter. VERBOSE writes them qualified (<c>i.sku</c>) and maybe cast
    /// (<c>(i.sku)::text</c>).
    /// </summary>
    public static IReadOnlyList<string> ComparedColumns(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var comparisons = Comparison().Matches(filter).Select(m => (Column: m.Groups["column"].Value, IsEquality: m.Groups["op"].Value == "=")).ToList();
        return [.. comparisons.Where(c => c.IsEquality).Concat(comparisons.Where(c => !c.IsEquality)).Select(c => c.Column).Distinct(StringComparer.Ordinal)];
    }

    private static void Collect(JsonElement node, List<SequentialScan> scans)
    {
        if (node.GetProperty("Node Type").GetString() == "Seq Scan"
            && node.TryGetProperty("Filter", out var filter)
            && ComparedColumns(filter.GetString()!) is { Count: > 0 } columns)
        {
            scans.Add(new SequentialScan(
                node.TryGetProperty("Schema", out var schema) ? schema.GetString()! : "public",
                node.GetProperty("Relation Name").GetString()!,
                filter.GetString()!,
                columns,
                TableRows: 0));
        }

        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                Collect(child, scans);
            }
        }
    }

    // A column (maybe qualified, maybe in parentheses with a cast) on the left of a comparison with anything.
    [GeneratedRegex(@"(?:\b[A-Za-z_]\w*\.)?(?<column>[A-Za-z_]\w*)\)?(?:::[\w ]+?(?:\[\])?)?\s*(?<op>=|<>|<=|>=|<|>|~~\*?|!~~\*?)(?!=)", RegexOptions.CultureInvariant)]
    private static partial Regex Comparison();
}
