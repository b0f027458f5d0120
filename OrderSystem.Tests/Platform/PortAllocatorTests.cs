using System.Globalization;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Platform;

/// <summary>The ports the AppHost (and the tests' own servers) are given: never ones the kernel hands out, and reserved against each other.</summary>
[Trait("Category", "Unit")]
public sealed class PortAllocatorTests
{
    [Fact]
    public void Ports_are_distinct_free_and_outside_the_kernels_ephemeral_range()
    {
        var fields = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var (ephemeralFirst, ephemeralLast) = (int.Parse(fields[0], CultureInfo.InvariantCulture), int.Parse(fields[1], CultureInfo.InvariantCulture));

        var ports = Enumerable.Range(0, 50).Select(_ => PortAllocator.AllocateFreePort()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, port =>
        {
            Assert.True(port is >= 10_000 and <= 65_535, $"port {port}");
            Assert.False(port >= ephemeralFirst && port <= ephemeralLast, $"port {port} is in the ephemeral range {ephemeralFirst}-{ephemeralLast}");
            Assert.True(PortAllocator.IsFree(port), $"port {port} is in use");
        });
    }

    [Fact]
    public async Task Another_process_cannot_take_the_reservation_of_a_port_this_one_was_given()
    {
        var port = PortAllocator.AllocateFreePort();
        var reservation = Path.Combine(Path.GetTempPath(), "ordersystem-ports", $"{port}.lock");

        // flock(1) takes the same kind of lock as the allocator; -n fails at once (exit 1) when it is held.
        await using var other = ChildProcess.Start("flock", ["-n", reservation, "true"], new Dictionary<string, string?>());
        var exitCode = await other.Exited.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(1, exitCode);
        Assert.Throws<IOException>(() => new FileStream(reservation, FileMode.Open, FileAccess.ReadWrite, FileShare.None).Dispose());
    }
}
