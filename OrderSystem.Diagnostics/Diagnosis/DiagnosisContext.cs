using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Diagnosis;

/// <summary>What a finding rule reads: the trace's tree, the store-wide statement baselines and the thresholds.</summary>
public sealed class DiagnosisContext
{
    private readonly StatementNormalizer _normalizer;
    private readonly string?[] _statements;
    private readonly bool[] _statementRead;
    private readonly SpanCategory?[] _categories;

    public DiagnosisContext(TraceTree tree, IReadOnlyDictionary<string, StatementBaseline> baselines, StatementNormalizer normalizer, DiagnosisOptions options)
    {
        ArgumentNullException.ThrowIfNull(tree);
        Tree = tree;
        Baselines = baselines;
        Options = options;
        _normalizer = normalizer;
        _statements = new string?[tree.Count];
        _statementRead = new bool[tree.Count];
        _categories = new SpanCategory?[tree.Count];
    }

    public TraceTree Tree { get; }

    public IReadOnlyDictionary<string, StatementBaseline> Baselines { get; }

    public DiagnosisOptions Options { get; }

    public StoredSpan Span(int index) => Tree.Span(index);

    public SpanCategory Category(int index) => _categories[index] ??= SpanCategories.Of(Tree.Span(index));

    /// <summary>The span's normalized query text, or null for a span that is no database call with a statement.</summary>
    public string? NormalizedStatement(int index)
    {
        if (!_statementRead[index])
        {
            _statementRead[index] = true;
            _statements[index] = SpanConventions.Statement(Tree.Span(index)) is { } statement ? _normalizer.Normalize(statement) : null;
        }

        return _statements[index];
    }

    /// <summary>
    /// The children of each span grouped by <paramref name="keyOf"/> (null leaves a child out), for every group of
    /// at least <paramref name="minSize"/> siblings.
    /// </summary>
    public IEnumerable<(int Parent, string Key, List<int> Siblings)> SiblingGroups(int minSize, Func<int, string?> keyOf)
    {
        ArgumentNullException.ThrowIfNull(keyOf);
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var parent = 0; parent < Tree.Count; parent++)
        {
            if (Tree.Children(parent).Length < minSize)
            {
                continue;
            }

            groups.Clear();
            foreach (var child in Tree.Children(parent))
            {
                if (keyOf(child) is { } key)
                {
                    groups.Append(key, child);
                }
            }

            foreach (var (key, siblings) in groups)
            {
                if (siblings.Count >= minSize)
                {
                    yield return (parent, key, siblings);
                }
            }
        }
    }

    public string SpanIdOf(int index) => Tree.Span(index).SpanId.ToString();

    public IReadOnlyList<string> SpanIdsOf(IEnumerable<int> indexes) => [.. indexes.Select(SpanIdOf)];
}

/// <summary>One kind of problem looked for in a trace; stateless, so one instance serves every analysis.</summary>
public interface IFindingRule
{
    IEnumerable<Finding> Evaluate(DiagnosisContext context);
}
