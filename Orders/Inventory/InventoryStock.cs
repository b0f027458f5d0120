using Grpc.Core;
using OrderSystem.Contracts.Inventory;
using OrderSystem.Orders.Model;

namespace OrderSystem.Orders.Inventory;

/// <summary>What the saga asks of Inventory, with Inventory's statuses turned into outcomes the saga decides on.</summary>
public sealed class InventoryStock(InventoryService.InventoryServiceClient client)
{
    /// <exception cref="RpcException">Inventory did not answer with the availability.</exception>
    public async Task<StockAvailability> CheckAvailabilityAsync(IEnumerable<(string Sku, int Quantity)> lines, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var request = new CheckAvailabilityRequest();
        request.Items.AddRange(lines.Select(line => new StockLine { Sku = line.Sku, Quantity = line.Quantity }));
        return StockAvailability.From(await client.CheckAvailabilityAsync(request, deadline: deadline.UtcDateTime, cancellationToken: cancellationToken));
    }

    /// <summary>Deducts the order's stock; idempotent per order, so a replay after a lost answer is safe.</summary>
    public async Task<StockChange> DeductAsync(OrderRecord order, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.DeductAsync(ToRequest(order), deadline: deadline.UtcDateTime, cancellationToken: cancellationToken);
            return new StockChange(response.Applied ? StockChangeOutcome.Applied : StockChangeOutcome.Replayed, null);
        }
        catch (RpcException exception) when (!cancellationToken.IsCancellationRequested)
        {
            var outcome = exception.StatusCode switch
            {
                StatusCode.FailedPrecondition => StockChangeOutcome.Insufficient,
                StatusCode.NotFound => StockChangeOutcome.UnknownSku,
                // Anything else leaves it open whether Inventory applied the deduction.
                _ => StockChangeOutcome.Unknown,
            };
            return new StockChange(outcome, exception);
        }
    }

    /// <summary>Gives back what Deduct took for the order (nothing if it took nothing); idempotent per order.</summary>
    public async Task<StockChange> ReleaseAsync(OrderRecord order, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.ReleaseAsync(ToRequest(order), deadline: deadline.UtcDateTime, cancellationToken: cancellationToken);
            return new StockChange(response.Applied ? StockChangeOutcome.Applied : StockChangeOutcome.Replayed, null);
        }
        catch (RpcException exception) when (!cancellationToken.IsCancellationRequested)
        {
            return new StockChange(StockChangeOutcome.Unknown, exception);
        }
    }

    private static StockChangeRequest ToRequest(OrderRecord order)
    {
        var request = new StockChangeRequest { OrderId = order.Id.ToString() };
        request.Items.AddRange(order.Lines.Select(line => new StockLine { Sku = line.Sku, Quantity = line.Quantity }));
        return request;
    }
}

public enum StockChangeOutcome
{
    /// <summary>Inventory made the change now.</summary>
    Applied,

    /// <summary>Inventory had already made it for this order (an idempotent replay).</summary>
    Replayed,

    /// <summary>Deduct refused: not enough stock left; nothing was taken.</summary>
    Insufficient,

    /// <summary>Deduct refused: a SKU no longer exists; nothing was taken.</summary>
    UnknownSku,

    /// <summary>No answer (unavailable, deadline, unexpected status): the change may or may not have been made.</summary>
    Unknown,
}

/// <param name="Error">Inventory's status when it did not apply the change.</param>
public sealed record StockChange(StockChangeOutcome Outcome, RpcException? Error)
{
    public bool Succeeded => Outcome is StockChangeOutcome.Applied or StockChangeOutcome.Replayed;

    public string Describe() => Error is null ? Outcome.ToString() : $"{Error.StatusCode}: {Error.Status.Detail}";
}
