using OrderSystem.Dashboard.Storage;

namespace OrderSystem.Dashboard.Diagnosis;

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

    public string SpanIdOf(int index) => Tree.Span(index).SpanId.ToString();

    public IReadOnlyList<string> SpanIdsOf(IEnumerable<int> indexes) => [.. indexes.Select(SpanIdOf)];
}

/// <summary>One kind of problem looked for in a trace; stateless, so one instance serves every analysis.</summary>
public interface IFindingRule
{
    IEnumerable<Finding> Evaluate(DiagnosisContext context);
}
