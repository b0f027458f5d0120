using Microsoft.Extensions.Configuration;
using OrderSystem.ServiceDefaults.Configuration;
using OrderSystem.ServiceDefaults.ServiceDiscovery;

namespace OrderSystem.Tests.ServiceDefaults;

[Trait("Category", "Integration")]
public sealed class ServiceEndpointResolverTests
{
    private readonly ServiceEndpointResolver _resolver = new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["services:payments:http:0"] = "http://127.0.0.1:5301",
        ["services:orders:http:0"] = "http://127.0.0.1:5201",
        ["services:orders:grpc:0"] = "http://127.0.0.1:5202",
    }).Build());

    [Fact]
    public void Resolves_a_logical_name_keeping_path_and_query()
    {
        var resolved = _resolver.Resolve(new Uri("http://payments/api/payments?x=1"));

        Assert.Equal("http://127.0.0.1:5301/api/payments?x=1", resolved.ToString());
    }

    [Fact]
    public void Https_plus_http_falls_back_to_http()
    {
        Assert.Equal("http://127.0.0.1:5301/", _resolver.Resolve(new Uri("https+http://payments")).ToString());
    }

    [Fact]
    public void Named_endpoints_resolve_separately()
    {
        Assert.Equal("http://127.0.0.1:5202/ordersystem.orders.v1.OrderService/GetOrder",
            _resolver.Resolve(new Uri("http://_grpc.orders/ordersystem.orders.v1.OrderService/GetOrder")).ToString());
        Assert.Equal(5201, _resolver.Resolve(new Uri("http://orders")).Port);
    }

    [Fact]
    public void Unknown_hosts_are_left_alone()
    {
        var uri = new Uri("http://example.test:8080/x");

        Assert.Same(uri, _resolver.Resolve(uri));
    }

    [Fact]
    public void A_service_without_the_endpoint_names_the_variable_to_set()
    {
        var exception = Assert.Throws<MissingConfigurationException>(() => _resolver.Resolve(new Uri("http://_grpc.payments")));

        Assert.Contains("services__payments__grpc__0", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_named_endpoint_of_an_unknown_service_names_the_variable_to_set()
    {
        var exception = Assert.Throws<MissingConfigurationException>(() => _resolver.Resolve(new Uri("http://_grpc.inventory")));

        Assert.Contains("services__inventory__grpc__0", exception.Message, StringComparison.Ordinal);
    }
}
