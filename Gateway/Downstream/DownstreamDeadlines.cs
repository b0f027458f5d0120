using Microsoft.Extensions.Options;
using OrderSystem.ServiceDefaults.Grpc;

namespace OrderSystem.Gateway.Downstream;

/// <summary>
/// The deadline of every gRPC call the Gateway makes, taken from <see cref="GatewayOptions"/>. It travels as
/// <c>grpc-timeout</c>, so Orders and the services it calls give up at the same moment.
/// </summary>
public sealed class DownstreamDeadlines(IOptions<GatewayOptions> options, TimeProvider timeProvider)
{
    public CallOptions ForOrders() => new(Deadline: timeProvider.GetUtcNow() + options.Value.OrdersDeadline);

    public CallOptions ForInventory() => new(Deadline: timeProvider.GetUtcNow() + options.Value.InventoryDeadline);
}
