using Microsoft.Extensions.Options;
using OrderSystem.Contracts.Inventory;
using OrderSystem.ServiceDefaults.Configuration;

namespace OrderSystem.Tests.Grpc;

[Trait("Category", "Integration")]
public sealed class GrpcClientRegistrationTests(GrpcTestServer server) : IClassFixture<GrpcTestServer>
{
    [Fact]
    public async Task The_typed_client_finds_its_server_through_service_discovery()
    {
        await using var clients = await GrpcTestClients.StartAsync(server.Address);

        var response = await clients.Inventory.ListProductsAsync(new ListProductsRequest(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("SKU-1", Assert.Single(response.Products).Sku);
    }

    [Fact]
    public async Task A_missing_endpoint_says_which_setting_to_add()
    {
        await using var clients = await GrpcTestClients.StartAsync(address: null);

        var error = Assert.Throws<MissingConfigurationException>(() => clients.Inventory);

        Assert.Contains("services__inventory__grpc__0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retry_settings_that_cannot_work_stop_the_client_host_at_start()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => GrpcTestClients.StartAsync(server.Address, maxRetryAttempts: -1));

        Assert.Contains("Resilience:Grpc", error.Message, StringComparison.Ordinal);
    }
}
