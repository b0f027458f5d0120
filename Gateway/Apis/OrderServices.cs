using Microsoft.Extensions.Options;
using OrderSystem.Contracts.Orders;
using OrderSystem.Gateway.Downstream;

namespace OrderSystem.Gateway.Apis;

/// <summary>What the order endpoints need, bound with <c>[AsParameters]</c>.</summary>
public sealed record OrderServices(
    OrderService.OrderServiceClient Orders,
    DownstreamDeadlines Deadlines,
    IOptions<GatewayOptions> Options,
    ILogger<OrderServices> Logger);
