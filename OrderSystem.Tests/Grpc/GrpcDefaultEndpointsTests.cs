using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;

namespace OrderSystem.Tests.Grpc;

/// <summary>What MapGrpcDefaultEndpoints serves beside a service's own methods.</summary>
[Trait("Category", "Integration")]
public sealed class GrpcDefaultEndpointsTests(GrpcTestServer server) : IClassFixture<GrpcTestServer>, IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(server.Address);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_health_service_answers_serving_once_the_health_checks_pass()
    {
        var response = await new Health.HealthClient(_channel).CheckAsync(new HealthCheckRequest(), cancellationToken: Cancellation);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Reflection_lists_the_services_in_development()
    {
        using var call = new ServerReflection.ServerReflectionClient(_channel).ServerReflectionInfo(cancellationToken: Cancellation);
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty }, Cancellation);
        await call.RequestStream.CompleteAsync();

        Assert.True(await call.ResponseStream.MoveNext(Cancellation));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(service => service.Name).ToList();
        Assert.Contains("ordersystem.inventory.v1.InventoryService", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }

    public void Dispose() => _channel.Dispose();
}
