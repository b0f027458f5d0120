namespace OrderSystem.LoadGenerator.Gateway;

/// <summary>One call of the Gateway's REST API.</summary>
/// <param name="Endpoint">Method and route template, e.g. <c>GET /api/orders/{id}</c>: what statistics are grouped by.</param>
/// <param name="RelativeUri">The path and query below the Gateway's base address, every value already escaped.</param>
/// <param name="ExpectedStatusCodes">Statuses besides 2xx that are the intended outcome, e.g. 402 for a declined test card.</param>
public sealed record GatewayRequest(
    string Endpoint,
    HttpMethod Method,
    string RelativeUri,
    byte[]? JsonBody = null,
    string? IdempotencyKey = null,
    IReadOnlySet<int>? ExpectedStatusCodes = null)
{
    public bool IsExpected(int statusCode) =>
        statusCode is >= 200 and < 300 || (ExpectedStatusCodes?.Contains(statusCode) ?? false);
}
