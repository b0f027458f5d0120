using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;

namespace OrderSystem.Diagnostics.Audit;

/// <summary>
/// The consistency audit over HTTP (docs/reliability.md): <c>POST /api/audit/baselines</c> takes a stock baseline
/// (each SKU's available and held units, orders in flight or not); <c>GET /api/audit?since=&amp;baseline=</c> audits the orders since a moment (default:
/// the baseline's, else the last 24 hours) and answers the report, each violation with its order and trace id.
/// </summary>
public static class AuditApi
{
    private static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(1);

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var audit = endpoints.MapGroup("/api/audit");

        audit.MapGet("/", async (DateTimeOffset? since, string? baseline, AuditService service, TimeProvider timeProvider, CancellationToken cancellationToken) =>
        {
            if (service.MissingDatabases is { Count: > 0 } missing)
            {
                return Unreadable($"No read-only connection to {string.Join(", ", missing)}.");
            }

            StockBaseline? stock = null;
            if (baseline is not null && (stock = service.FindBaseline(baseline)) is null)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown baseline",
                    detail: $"There is no stock baseline '{baseline}'; POST /api/audit/baselines takes one.");
            }

            try
            {
                return Results.Ok(await service.AuditAsync(since ?? stock?.TakenAt ?? timeProvider.GetUtcNow() - DefaultWindow, stock, cancellationToken));
            }
            catch (NpgsqlException exception)
            {
                return Unreadable(exception.Message);
            }
        });

        audit.MapPost("/baselines", async (AuditService service, CancellationToken cancellationToken) =>
        {
            try
            {
                var baseline = await service.TakeBaselineAsync(cancellationToken);
                return Results.Created($"/api/audit?baseline={baseline.Id}", new { baseline.Id, baseline.TakenAt, Skus = baseline.Totals.Count });
            }
            catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
            {
                return Unreadable(exception.Message);
            }
        });

        return endpoints;
    }

    private static IResult Unreadable(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The databases cannot be read", detail: detail);
}
