namespace OrderSystem.LoadGenerator.Scenarios;

public enum ScenarioKind
{
    /// <summary><c>GET /api/products</c>.</summary>
    Browse,

    /// <summary><c>POST /api/orders</c> for one to three in-stock SKUs, then <c>GET /api/orders/{id}</c>.</summary>
    Order,

    /// <summary>One of the user's earlier orders, its notifications, or the user's order list.</summary>
    Read,
}

/// <summary>The names scenarios go by on the command line, on screen and in the JSON result.</summary>
public static class ScenarioNames
{
    public static IReadOnlyList<ScenarioKind> All { get; } = Enum.GetValues<ScenarioKind>();

    public static string Of(ScenarioKind kind) => kind switch
    {
        ScenarioKind.Browse => "browse",
        ScenarioKind.Order => "order",
        ScenarioKind.Read => "read",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool TryParse(string name, out ScenarioKind kind)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(Of(candidate), name, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
