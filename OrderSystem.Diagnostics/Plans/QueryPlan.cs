using System.Text.RegularExpressions;

namespace OrderSystem.Diagnostics.Plans;

/// <summary>A statement's generic plan: EXPLAIN's text, and the sequential scans in it.</summary>
public sealed record QueryPlan(string Text, IReadOnlyList<SequentialScan> Scans);

/// <summary>
/// A <c>Seq Scan</c> node: the table (schema-qualified as the planner names it), its filter, the columns the filter
/// compares (equalities first) and the planner's estimate of the table's rows.
/// </summary>
public sealed partial record SequentialScan(string Schema, string Table, string Filter, IReadOnlyList<string> Columns, double TableRows)
{
    /// <summary>The index that would let the filter find its rows without reading the table.</summary>
    public string CreateIndex() =>
        $"CREATE INDEX ON {(Schema == "public" ? string.Empty : QuoteIdentifier(Schema) + ".")}{QuoteIdentifier(Table)} ({string.Join(", ", Columns.Select(QuoteIdentifier))})";

    public static string QuoteIdentifier(string name) =>
        PlainIdentifier().IsMatch(name) ? name : $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    [GeneratedRegex("^[a-z_][a-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainIdentifier();
}
