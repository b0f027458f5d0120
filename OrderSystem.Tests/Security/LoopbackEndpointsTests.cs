using System.Net;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Security;

/// <summary>
/// Run locally, the internal resources are reachable from this machine only: each endpoint the AppHost allocated
/// is on a loopback address, and nothing listens on those ports (the proxy's or the process's own) on any other.
/// </summary>
[Collection(TopologyCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class LoopbackEndpointsTests(TopologyFixture fixture)
{
    private static readonly string[] InternalResources = ["orders", "inventory", "payments", "notifications", "diagnostics", "messaging", "cache", "postgres"];

    [Fact]
    public void Every_internal_resource_listens_on_loopback_only()
    {
        var model = fixture.Topology.App.Services.GetRequiredService<DistributedApplicationModel>();
        var listeners = ListeningSocket.All().Select(socket => socket.EndPoint).ToList();
        Assert.NotEmpty(listeners);
        var checkedEndpoints = 0;
        foreach (var resource in model.Resources.OfType<IResourceWithEndpoints>().Where(resource => InternalResources.Contains(resource.Name)))
        {
            foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
            {
                var allocated = endpoint.AllocatedEndpoint;
                Assert.True(allocated is not null, $"{resource.Name}/{endpoint.Name} has no allocated endpoint");
                Assert.True(IsLoopback(allocated.Address), $"{resource.Name}/{endpoint.Name} is allocated on {allocated.Address}");
                foreach (var port in new[] { allocated.Port, endpoint.TargetPort ?? allocated.Port }.Distinct())
                {
                    var exposed = listeners.Where(listener => listener.Port == port && !IPAddress.IsLoopback(listener.Address)).ToList();
                    Assert.True(exposed.Count == 0, $"{resource.Name}/{endpoint.Name}: port {port} listens on {string.Join(", ", exposed)}");
                }

                checkedEndpoints++;
            }
        }

        Assert.True(checkedEndpoints >= InternalResources.Length, $"only {checkedEndpoints} endpoints found");
    }

    private static bool IsLoopback(string address) =>
        address == "localhost" || (IPAddress.TryParse(address, out var ip) && IPAddress.IsLoopback(ip));
}
