using System.Globalization;
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
        var listeners = ListeningSockets();
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

    /// <summary>Every TCP socket in LISTEN state on this machine (Linux: /proc/net/tcp and tcp6).</summary>
    private static List<IPEndPoint> ListeningSockets()
    {
        const string Listen = "0A";
        var sockets = new List<IPEndPoint>();
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists))
        {
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (columns[3] != Listen)
                {
                    continue;
                }

                var local = columns[1].Split(':');
                sockets.Add(new IPEndPoint(ParseAddress(local[0]), int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            }
        }

        Assert.NotEmpty(sockets);
        return sockets;
    }

    /// <summary>The kernel writes addresses as 32-bit words in host (little-endian) order.</summary>
    private static IPAddress ParseAddress(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        for (var word = 0; word < bytes.Length; word += 4)
        {
            Array.Reverse(bytes, word, 4);
        }

        var address = new IPAddress(bytes);
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }
}
