using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrderSystem.ServiceDefaults.Faults;
using StackExchange.Redis;

namespace OrderSystem.Diagnostics.Faults;

/// <summary>A fault as the dashboard lists it: what it is and whether it is on.</summary>
public sealed record FaultView(string Name, string Service, string Description, bool Enabled, IReadOnlyDictionary<string, double> Parameters);

/// <summary>The body of <c>PUT /api/faults/{name}</c>.</summary>
public sealed record FaultChange(bool? Enabled, Dictionary<string, double>? Parameters);

/// <summary>
/// The fault switches over HTTP (docs/scenarios.md): <c>GET /api/faults</c> lists every known fault with its state,
/// <c>PUT /api/faults/{name}</c> with <c>{"enabled":true}</c> switches one, and
/// <c>POST /api/faults/actions/flush-inventory-cache</c> empties Inventory's stock cache (<see cref="InventoryCacheFlush"/>).
/// They live in the shared Redis (<c>ConnectionStrings:cache</c>); without it all answer 503.
/// </summary>
public static class FaultApi
{
    public static IEndpointRouteBuilder MapFaultApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var faults = endpoints.MapGroup("/api/faults");

        faults.MapGet("/", async (IServiceProvider services, CancellationToken cancellationToken) =>
        {
            if (services.GetService<FaultStore>() is not { } store)
            {
                return NoStore();
            }

            var states = await ReadAsync(store, cancellationToken).ConfigureAwait(false);
            return states is null ? StoreUnavailable() : Results.Ok(KnownFaults.All.Select(fault => View(fault, states)).ToArray());
        });

        faults.MapPut("/{name}", async (string name, FaultChange? change, IServiceProvider services, CancellationToken cancellationToken) =>
        {
            if (KnownFaults.Find(name) is not { } fault)
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status404NotFound,
                    title: "Unknown fault",
                    detail: $"There is no fault named '{name}'; GET /api/faults lists them.");
            }

            if (change?.Enabled is not { } enabled)
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Invalid fault change",
                    detail: "The body must be a JSON object with a boolean 'enabled', e.g. {\"enabled\":true}.");
            }

            if (services.GetService<FaultStore>() is not { } store)
            {
                return NoStore();
            }

            var state = new FaultState(enabled, change.Parameters ?? []);
            try
            {
                await store.SetAsync(fault.Name, state, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (FaultStore.IsUnavailable(exception))
            {
                return StoreUnavailable();
            }

            return Results.Ok(View(fault, new Dictionary<string, FaultState> { [fault.Name] = state }));
        });

        faults.MapPost("/actions/flush-inventory-cache", async (IServiceProvider services, CancellationToken cancellationToken) =>
        {
            if (services.GetService<IConnectionMultiplexer>() is not { } redis)
            {
                return NoStore();
            }

            try
            {
                var deleted = await InventoryCacheFlush.FlushAsync(redis, cancellationToken).ConfigureAwait(false);
                return Results.Ok(new CacheFlushResult(InventoryCacheFlush.KeyPattern, deleted));
            }
            catch (Exception exception) when (FaultStore.IsUnavailable(exception))
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "Cache unavailable",
                    detail: "The Redis that holds Inventory's cache did not answer, so the flush may be incomplete; try again when it is up.");
            }
        });

        return endpoints;
    }

    private static async Task<IReadOnlyDictionary<string, FaultState>?> ReadAsync(FaultStore store, CancellationToken cancellationToken)
    {
        try
        {
            return await store.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (FaultStore.IsUnavailable(exception))
        {
            return null;
        }
    }

    private static FaultView View(KnownFault fault, IReadOnlyDictionary<string, FaultState> states)
    {
        var state = states.GetValueOrDefault(fault.Name, FaultState.Off);
        return new FaultView(fault.Name, fault.Service, fault.Description, state.Enabled, state.Parameters);
    }

    private static IResult NoStore() => Results.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "Fault switches not configured",
        detail: "The dashboard has no ConnectionStrings:cache (env ConnectionStrings__cache), the Redis where the fault switches live; start it through the AppHost or set it.");

    private static IResult StoreUnavailable() => Results.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "Fault switches unavailable",
        detail: $"The Redis that holds the fault switches ({FaultStore.HashKey}) did not answer; try again when it is up.");
}
