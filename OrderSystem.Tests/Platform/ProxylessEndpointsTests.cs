using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Platform;

/// <summary>
/// The projects serve their endpoints themselves (WithProxylessEndpoints): the socket listening on each endpoint's
/// allocated port, the one callers are given, is held by the project's own process, not by DCP's proxy.
/// </summary>
[Collection(TopologyCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ProxylessEndpointsTests(TopologyFixture fixture)
{
    private static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(60);

    private static readonly string[] Projects = ["gateway", "orders", "inventory", "payments", "notifications", "diagnostics"];

    [Fact]
    public async Task Each_project_endpoint_is_the_projects_own_socket()
    {
        var model = fixture.Topology.App.Services.GetRequiredService<DistributedApplicationModel>();
        foreach (var name in Projects)
        {
            // Other tests of the collection stop and restart resources: the process must be the running one.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(HealthTimeout);
            await fixture.Topology.Notifications.WaitForResourceHealthyAsync(name, timeout.Token);
            var pid = fixture.Topology.ProcessIdOf(name);
            var processes = LinuxProcess.DescendantsOf(pid).Select(process => process.Pid).Append(pid).ToList();
            var sockets = ListeningSocket.All();
            var endpoints = model.Resources.OfType<ProjectResource>().Single(resource => resource.Name == name).Annotations.OfType<EndpointAnnotation>().ToList();
            Assert.NotEmpty(endpoints);
            foreach (var endpoint in endpoints)
            {
                var port = endpoint.AllocatedEndpoint?.Port ?? throw new InvalidOperationException($"{name}/{endpoint.Name} has no allocated endpoint");
                var listeners = sockets.Where(socket => socket.EndPoint.Port == port).ToList();
                Assert.NotEmpty(listeners);
                Assert.All(listeners, listener => Assert.True(processes.Any(listener.IsHeldBy),
                    $"{name}/{endpoint.Name}: port {port} ({listener.EndPoint}) is held by none of {name}'s processes ({string.Join(", ", processes)})"));
            }
        }
    }
}
