using Microsoft.AspNetCore.Http.HttpResults;
using OrderSystem.Contracts.Inventory;
using OrderSystem.Gateway.Caching;
using OrderSystem.Gateway.Downstream;
using OrderSystem.Gateway.Model;
using OrderSystem.Gateway.RateLimiting;
using OrderSystem.Gateway.Validation;

namespace OrderSystem.Gateway.Apis;

/// <summary>
/// <c>GET /api/products</c>: the catalogue with prices and available stock, from Inventory over gRPC, each page kept
/// briefly in the output cache (<see cref="CatalogueCachePolicy"/>).
/// </summary>
public static class ProductsApi
{
    public const int DefaultPageSize = 100;

    public static RouteGroupBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/products")
            .RequireAuthorization()
            .RequireRateLimiting(ApiKeyRateLimiting.PolicyName);

        api.MapGet(string.Empty, ListProductsAsync).CacheOutput(CatalogueCachePolicy.Name);
        return api;
    }

    public static async Task<Results<Ok<ProductListResponse>, ValidationProblem>> ListProductsAsync(
        int? pageSize,
        string? pageToken,
        InventoryService.InventoryServiceClient inventory,
        DownstreamDeadlines deadlines,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(deadlines);
        var errors = new Dictionary<string, string[]>();
        var size = PageSize.Validate(pageSize, DefaultPageSize, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var page = await inventory.ListProductsAsync(
            new ListProductsRequest { PageSize = size, PageToken = pageToken ?? string.Empty },
            deadlines.ForInventory(cancellationToken));
        return TypedResults.Ok(page.ToResponse());
    }
}
