using Grpc.Core;
using Microsoft.Extensions.Options;

namespace OrderSystem.Gateway.Downstream;

/// <summary>
/// The deadline of every gRPC call the Gateway makes, taken from <see cref="GatewayOptions"/>. It travels as
/// <c>grpc-timeout</c>, so Orders and the services it calls give up at the same moment.
/// </summary>
public sealed class DownstreamDeadlines(IOptions<GatewayOptions> options, TimeProvider timeProvider)
{
    public CallOptions ForOrders(CancellationToken cancellationToken) =>
        new(deadline: (timeProvider.GetUtcNow() + options.Value.OrdersDeadline).UtcDateTime, cancellationToken: cancellationToken);

    public CallOptions ForInventory(CancellationToken cancellationToken) =>
        new(deadline: (timeProvider.GetUtcNow() + options.Value.InventoryDeadline).UtcDateTime, cancellationToken: cancellationToken);
}
