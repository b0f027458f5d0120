using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrderSystem.Contracts.Inventory;
using OrderSystem.ServiceDefaults.Configuration;
using OrderSystem.ServiceDefaults.Grpc;

namespace OrderSystem.Tests.Grpc;

public sealed class GrpcClientRegistrationTests(GrpcTestServer server) : IClassFixture<GrpcTestServer>
{
    [Fact]
    public async Task The_typed_client_finds_its_server_through_service_discovery()
    {
        await using var services = BuildServices(new() { ["services:inventory:grpc:0"] = server.Address.ToString() });

        var client = services.GetRequiredService<InventoryClient>();
        var response = await client.ListProductsAsync(new ListProductsRequest(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("SKU-1", Assert.Single(response.Products).Sku);
        Assert.Same(services.GetRequiredKeyedService<GrpcChannel>("inventory"), services.GetRequiredKeyedService<GrpcChannel>("inventory"));
    }

    [Fact]
    public async Task A_missing_endpoint_says_which_setting_to_add()
    {
        await using var services = BuildServices([]);

        var error = Assert.Throws<MissingConfigurationException>(services.GetRequiredService<InventoryClient>);

        Assert.Contains("services__inventory__grpc__0", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider BuildServices(Dictionary<string, string?> settings) =>
        OrderSystem.ServiceDefaults.Grpc.GrpcClientServiceCollectionExtensions.AddGrpcClient<InventoryClient>(
                new ServiceCollection().AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()),
                "inventory")
            .BuildServiceProvider();
}
