using System.Globalization;

namespace OrderSystem.LoadGenerator.Scenarios;

/// <summary>The relative weights of the scenarios, as in <c>browse=50,order=30,read=20</c>; a scenario not named weighs 0.</summary>
public sealed class ScenarioMix
{
    public const string Default = "browse=50,order=30,read=20";

    private readonly int[] _weights;

    private ScenarioMix(int[] weights) => _weights = weights;

    public int TotalWeight => _weights.Sum();

    public int WeightOf(ScenarioKind kind) => _weights[(int)kind];

    public IReadOnlyDictionary<string, int> ToDictionary() =>
        ScenarioNames.All.ToDictionary(ScenarioNames.Of, WeightOf, StringComparer.Ordinal);

    public ScenarioKind Pick(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var ticket = random.Next(TotalWeight);
        foreach (var kind in ScenarioNames.All)
        {
            ticket -= WeightOf(kind);
            if (ticket < 0)
            {
                return kind;
            }
        }

        throw new InvalidOperationException("the weights sum to more than their total");
    }

    /// <summary>The mix, or null with a one-line <paramref name="error"/>.</summary>
    public static ScenarioMix? TryParse(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var weights = new int[ScenarioNames.All.Count];
        var named = new HashSet<ScenarioKind>();
        foreach (var entry in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split('=', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !ScenarioNames.TryParse(parts[0], out var kind))
            {
                error = $"'{entry}' is not scenario=weight with a scenario among {string.Join(", ", ScenarioNames.All.Select(ScenarioNames.Of))}";
                return null;
            }

            if (!named.Add(kind))
            {
                error = $"{ScenarioNames.Of(kind)} is named twice";
                return null;
            }

            if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var weight) || weight > 1_000_000)
            {
                error = $"the weight of {ScenarioNames.Of(kind)} must be a whole number from 0 to 1000000, not '{parts[1]}'";
                return null;
            }

            weights[(int)kind] = weight;
        }

        if (weights.Sum() == 0)
        {
            error = "at least one scenario needs a weight above 0, e.g. " + Default;
            return null;
        }

        error = null;
        return new ScenarioMix(weights);
    }

    public override string ToString() =>
        string.Join(',', ScenarioNames.All.Where(kind => WeightOf(kind) > 0).Select(kind => $"{ScenarioNames.Of(kind)}={WeightOf(kind)}"));
}
