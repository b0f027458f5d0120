using OrderSystem.Contracts.Orders;
using Grpc.Core;
using Grpc.Net.Client;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Orders;

/// <summary>What every Orders test on the topology has: its databases, and a client of the topology's Orders service.</summary>
public abstract class OrdersTest(TopologyFixture fixture) : IAsyncLifetime
{
    private readonly Lazy<GrpcChannel> _channel = new(() => GrpcChannel.ForAddress(fixture.Topology.GetEndpoint("orders", "grpc")));

    protected static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(30);

    protected static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    protected Topology Application => fixture.Topology;

    protected SystemData Data { get; } = new(fixture.Topology);

    /// <summary>The topology's Orders service.</summary>
    protected OrderService.OrderServiceClient Orders => new(_channel.Value);

    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual async ValueTask DisposeAsync()
    {
        if (_channel.IsValueCreated)
        {
            _channel.Value.Dispose();
        }

        await Data.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
