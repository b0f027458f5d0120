using Microsoft.Extensions.Logging.Abstractions;
using OrderSystem.ServiceDefaults.Faults;
using OrderSystem.Tests.Infrastructure;
using StackExchange.Redis;

namespace OrderSystem.Tests.Faults;

/// <summary>The fault switches against a real redis-server: what they read, how long they keep it, and Redis being away.</summary>
[Trait("Category", "Integration")]
public sealed class FaultSwitchesTests(RedisServerFixture fixture) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private readonly ConnectionMultiplexer _redis = ConnectionMultiplexer.Connect(fixture.Server.ConnectionString());
    private readonly SteppedTimeProvider _time = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IDatabase Database => _redis.GetDatabase();

    public async ValueTask InitializeAsync() => await Database.KeyDeleteAsync(FaultStore.HashKey);

    public async ValueTask DisposeAsync()
    {
        await Database.KeyDeleteAsync(FaultStore.HashKey);
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task A_switched_fault_is_seen_after_the_refresh_interval_and_not_before()
    {
        var store = new FaultStore(_redis);
        var switches = new FaultSwitches(store, _time, NullLogger<FaultSwitches>.Instance);
        Assert.False(await switches.IsOnAsync(KnownFaults.InventoryCacheOff, Token));

        await store.SetAsync(KnownFaults.InventoryCacheOff, FaultState.On, Token);
        _time.Advance(FaultSwitches.RefreshInterval - TimeSpan.FromMilliseconds(1));
        Assert.False(await switches.IsOnAsync(KnownFaults.InventoryCacheOff, Token));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await switches.IsOnAsync(KnownFaults.InventoryCacheOff, Token));
        Assert.False(await switches.IsOnAsync(KnownFaults.ProductsNPlusOne, Token));

        await store.SetAsync(KnownFaults.InventoryCacheOff, FaultState.Off, Token);
        Assert.True(await switches.IsOnAsync(KnownFaults.InventoryCacheOff, Token));
        _time.Advance(FaultSwitches.RefreshInterval);
        Assert.False(await switches.IsOnAsync(KnownFaults.InventoryCacheOff, Token));
    }

    [Fact]
    public async Task Parameters_round_trip_through_the_hash()
    {
        var store = new FaultStore(_redis);
        await store.SetAsync(KnownFaults.PaymentsSlowProvider, new FaultState(true, new Dictionary<string, double> { [KnownFaults.ExtraLatencyMsParameter] = 1500 }), Token);

        var state = await new FaultSwitches(store, _time, NullLogger<FaultSwitches>.Instance).GetAsync(KnownFaults.PaymentsSlowProvider, Token);

        Assert.True(state.Enabled);
        Assert.Equal(1500, state.GetParameter(KnownFaults.ExtraLatencyMsParameter, 0));
        var stored = await Database.HashGetAsync(FaultStore.HashKey, KnownFaults.PaymentsSlowProvider);
        Assert.Equal("""{"enabled":true,"parameters":{"extraLatencyMs":1500}}""", (string?)stored);
    }

    [Theory]
    [InlineData("on", true)]
    [InlineData("ON", true)]
    [InlineData("off", false)]
    [InlineData("yes", false)]
    [InlineData("{\"enabled\":true}", true)]
    [InlineData("{\"enabled\":\"true\"}", false)]
    [InlineData("{not json", false)]
    public async Task Values_written_by_hand_are_read_and_anything_unreadable_is_off(string value, bool expected)
    {
        await Database.HashSetAsync(FaultStore.HashKey, KnownFaults.ProductsNPlusOne, value);

        var switches = new FaultSwitches(new FaultStore(_redis), _time, NullLogger<FaultSwitches>.Instance);

        Assert.Equal(expected, await switches.IsOnAsync(KnownFaults.ProductsNPlusOne, Token));
    }

    [Fact]
    public async Task Without_redis_every_fault_is_off_and_the_caller_is_not_held_up()
    {
        await using var unreachable = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{PortAllocator.AllocateFreePort()},abortConnect=false,connectTimeout=1000");
        var switches = new FaultSwitches(new FaultStore(unreachable), _time, NullLogger<FaultSwitches>.Instance);

        var started = TimeProvider.System.GetTimestamp();
        Assert.False(await switches.IsOnAsync(KnownFaults.InventoryCacheOff, Token));
        Assert.False(await new FaultSwitches(null, _time, NullLogger<FaultSwitches>.Instance).IsOnAsync(KnownFaults.InventoryCacheOff, Token));

        // The read is bounded by ReadTimeout (plus scheduling slack), never by the client's command timeout.
        Assert.True(TimeProvider.System.GetElapsedTime(started) < FaultSwitches.ReadTimeout + TimeSpan.FromSeconds(2));
    }

    /// <summary>A clock whose timestamps move only when the test moves them.</summary>
    private sealed class SteppedTimeProvider : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
