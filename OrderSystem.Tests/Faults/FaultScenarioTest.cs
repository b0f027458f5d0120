using OrderSystem.Tests.Infrastructure;
using OrderSystem.Tests.Inventory;

namespace OrderSystem.Tests.Faults;

/// <summary>
/// A fault test on the shared topology: the dashboard to switch faults and read their traces, and Inventory's service,
/// database and cache, both released after each test.
/// </summary>
public abstract class FaultScenarioTest(TopologyFixture fixture) : IAsyncDisposable
{
    protected Topology Application { get; } = fixture.Topology;

    internal FaultHarness Faults { get; } = new(fixture.Topology);

    internal InventoryHarness Inventory { get; } = new(fixture.Topology);

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        await DisposeClientsAsync();
        Faults.Dispose();
        await Inventory.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what a test class adds to the harnesses.</summary>
    protected virtual ValueTask DisposeClientsAsync() => ValueTask.CompletedTask;
}
