using System.Net;
using System.Text.Json;
using OrderSystem.ServiceDefaults.Faults;
using OrderSystem.Tests.Infrastructure;
using OrderSystem.Tests.Inventory;
using static OrderSystem.Tests.Faults.FaultHarness;
using static OrderSystem.Tests.Infrastructure.JaegerTrace;

namespace OrderSystem.Tests.Faults;

/// <summary>The dashboard's "Flush Inventory cache" action on the real topology.</summary>
[Collection(TopologyCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class InventoryCacheFlushTests(TopologyFixture fixture) : FaultScenarioTest(fixture)
{
    private const string FlushPath = "/api/faults/actions/flush-inventory-cache";

    [Fact]
    public async Task Flushing_deletes_the_inventory_entries_only_and_the_next_check_misses()
    {
        var skus = await Inventory.CreateSkusAsync(5, 5);
        var otherKey = $"test:flush:{Guid.NewGuid():N}";
        await Inventory.Redis.StringSetAsync(otherKey, "kept", TimeSpan.FromMinutes(5));
        // Writing "off" (the default) makes sure the fault switches' hash exists, so its survival means something.
        await Faults.SetAsync(KnownFaults.InventoryCacheOff, enabled: false);
        try
        {
            await Inventory.Client.CheckAvailabilityAsync(InventoryHarness.Check((skus[0], 1), (skus[1], 1)), cancellationToken: Token);
            Assert.True(await Inventory.IsCachedAsync(skus[0]) && await Inventory.IsCachedAsync(skus[1]), "the check did not fill the cache");

            using var response = await Faults.Dashboard.PostAsync(FlushPath, content: null, Token);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token)).RootElement;

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("inventory:*", body.GetProperty("pattern").GetString());
            Assert.True(body.GetProperty("deleted").GetInt64() >= 2, $"deleted {body.GetProperty("deleted")}");
            Assert.False(await Inventory.IsCachedAsync(skus[0]));
            Assert.False(await Inventory.IsCachedAsync(skus[1]));
            Assert.Equal("kept", (string?)await Inventory.Redis.StringGetAsync(otherKey));
            Assert.True(await Inventory.Redis.HashExistsAsync(FaultStore.HashKey, KnownFaults.InventoryCacheOff));

            var check = (await Faults.CheckAvailabilityAsync(Inventory.Client, skus[0])).Span;
            Assert.Equal(("false", "1"), (Tag(check, "inventory.cache_hit"), Tag(check, "inventory.cache.misses")));
        }
        finally
        {
            await Inventory.Redis.KeyDeleteAsync(otherKey);
        }
    }

    [Fact]
    public async Task Flushing_an_empty_cache_deletes_nothing_and_other_methods_are_not_allowed()
    {
        using var first = await Faults.Dashboard.PostAsync(FlushPath, content: null, Token);
        using var second = await Faults.Dashboard.PostAsync(FlushPath, content: null, Token);
        using var get = await Faults.Dashboard.GetAsync(FlushPath, Token);
        using var unknown = await Faults.Dashboard.PostAsync("/api/faults/actions/flush-everything", content: null, Token);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(0, JsonDocument.Parse(await second.Content.ReadAsStringAsync(Token)).RootElement.GetProperty("deleted").GetInt64());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
