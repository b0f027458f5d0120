using OrderSystem.LoadGenerator.Gateway;
using OrderSystem.LoadGenerator.Results;

namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>
/// What one load level comes to, from the load generator's result: orders placed per second (201 Created; an expected
/// 402 for the declined test card is not an order), requests per second, the order request's p50 and p99 (none without
/// orders), and errors.
/// </summary>
public sealed record LevelFigures(
    double OrdersPerSecond,
    double RequestsPerSecond,
    double? OrderP50Ms,
    double? OrderP99Ms,
    long Requests,
    long Errors,
    double MeasuredSeconds)
{
    private const string Created = "201";

    public static LevelFigures From(LoadResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var totals = result.Totals;
        var orders = result.Endpoints.SingleOrDefault(endpoint => endpoint.Endpoint == GatewayRoutes.CreateOrder);
        var placed = orders?.Outcomes.GetValueOrDefault(Created) ?? 0;
        return new LevelFigures(
            totals.MeasuredSeconds > 0 ? Math.Round(placed / totals.MeasuredSeconds, 2) : 0,
            totals.Throughput,
            orders?.LatencyMs.P50,
            orders?.LatencyMs.P99,
            totals.Requests,
            totals.Errors,
            totals.MeasuredSeconds);
    }
}
