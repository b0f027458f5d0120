using System.Text.Json;
using OrderSystem.LoadGenerator.Gateway;

namespace OrderSystem.LoadGenerator.Scenarios;

/// <summary>
/// Places an order for one to three in-stock SKUs with an <c>Idempotency-Key</c>, paying with the approved test card
/// or, for the declined rate of the orders, the declined one (whose 402 is then the expected outcome);
/// then reads the order back.
/// </summary>
public sealed class OrderScenario(Catalogue catalogue, UserOrders userOrders, double declinedRate) : IScenario
{
    public const string ApprovedCard = "4242424242424242";
    public const string DeclinedCard = "4000000000000002";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
    private static readonly IReadOnlySet<int> PaymentDeclined = new HashSet<int> { 402 };

    public ScenarioKind Kind => ScenarioKind.Order;

    public async Task RunAsync(ScenarioRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var lines = catalogue.PickOrderLines(run.Random);
        var declined = run.Random.NextDouble() < declinedRate;
        var body = new OrderRequestBody(
            run.UserId,
            [.. lines.Select(line => new OrderRequestItem(line.Sku, line.Quantity))],
            new OrderRequestPayment("card", declined ? DeclinedCard : ApprovedCard));
        var create = new GatewayRequest(
            GatewayRoutes.CreateOrder,
            HttpMethod.Post,
            GatewayRoutes.Orders,
            JsonSerializer.SerializeToUtf8Bytes(body, JsonOptions),
            // Never from the seed: a second run with the same seed would replay the first run's orders.
            "loadgen-" + Guid.NewGuid().ToString("N"),
            declined ? PaymentDeclined : null);

        var created = await run.SendAsync(create, cancellationToken).ConfigureAwait(false);
        if (created.StatusCode == 201)
        {
            catalogue.Take(lines);
        }

        // 201 and 202 carry the order; a 402 problem names the FAILED order in "orderId".
        if (created.StatusCode is 201 or 202 or 402 && JsonProperties.FindString(created.Body, "id", "orderId") is { } orderId)
        {
            userOrders.Add(run.UserId, orderId);
            await run.SendAsync(new GatewayRequest(GatewayRoutes.GetOrder, HttpMethod.Get, GatewayRoutes.Order(orderId)), cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed record OrderRequestBody(string UserId, IReadOnlyList<OrderRequestItem> Items, OrderRequestPayment Payment);

    private sealed record OrderRequestItem(string Sku, int Quantity);

    private sealed record OrderRequestPayment(string Method, string CardNumber);
}
