using OrderSystem.LoadGenerator.Gateway;

namespace OrderSystem.LoadGenerator.Scenarios;

/// <summary>
/// A user comes back: opens one of their orders (half the time), its notifications (a quarter) or their order list
/// (a quarter, and always when they have placed no order in this run).
/// </summary>
public sealed class ReadScenario(UserOrders userOrders) : IScenario
{
    public ScenarioKind Kind => ScenarioKind.Read;

    public Task RunAsync(ScenarioRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var orderId = userOrders.PickOrder(run.UserId, run.Random);
        var request = (orderId, run.Random.Next(4)) switch
        {
            ({ } id, 0 or 1) => new GatewayRequest(GatewayRoutes.GetOrder, HttpMethod.Get, GatewayRoutes.Order(id)),
            ({ } id, 2) => new GatewayRequest(GatewayRoutes.GetNotifications, HttpMethod.Get, GatewayRoutes.NotificationsOf(id)),
            _ => new GatewayRequest(GatewayRoutes.ListOrders, HttpMethod.Get, GatewayRoutes.OrdersOfUser(run.UserId)),
        };
        return run.SendAsync(request, cancellationToken);
    }
}
