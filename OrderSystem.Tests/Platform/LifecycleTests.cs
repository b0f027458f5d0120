using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Platform;

/// <summary>Starting, crashing, recovering and stopping the whole topology with its own AppHost instances.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task A_run_after_a_crash_recovers_and_a_stop_leaves_no_process_or_port_behind()
    {
        var state = TestRepository.CreateStateDirectory("lifecycle");
        DistributedApplication? crashed = null;
        DistributedApplication? recovered = null;
        try
        {
            // A crash: the AppHost is killed outright, its resources are orphaned.
            crashed = await DistributedApplication.StartAsync(state, TestContext.Current.CancellationToken);
            var orphans = await ProcessesOfAsync(crashed);
            crashed.AppHost.Kill();
            await crashed.AppHost.Exited;
            Assert.All(orphans.Pids, pid => Assert.True(IsAlive(pid), $"pid {pid} should have outlived the killed AppHost"));

            // The next run stops the orphans (stale pid and lock files included) and comes up healthy.
            recovered = await DistributedApplication.StartAsync(state, TestContext.Current.CancellationToken);
            Assert.All(orphans.Pids, pid => Assert.False(IsAlive(pid), $"orphan pid {pid} should have been stopped"));
            var running = await ProcessesOfAsync(recovered);

            // SIGTERM stops everything within ten seconds, leaving no process or listening port.
            var stopwatch = Stopwatch.StartNew();
            recovered.AppHost.Terminate();
            var exitCode = await recovered.AppHost.Exited.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
            stopwatch.Stop();

            Assert.Equal(0, exitCode);
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {stopwatch.Elapsed}");
            Assert.All(running.Pids, pid => Assert.False(IsAlive(pid), $"pid {pid} is still running"));
            foreach (var port in running.Ports.Append(recovered.Endpoints.AppHost.Port))
            {
                Assert.False(await IsListeningAsync(port), $"port {port} is still open");
            }

            Assert.False(File.Exists(Path.Combine(state, "endpoints.json")), "endpoints.json should be removed on stop");
        }
        finally
        {
            // Whatever failed, nothing is left running: the last AppHost stops all (and a crashed run's orphans).
            if (recovered is not null)
            {
                await recovered.DisposeAsync();
            }
            else if (crashed is not null)
            {
                await using var cleanup = await DistributedApplication.StartAsync(state, TestContext.Current.CancellationToken);
            }

            if (Directory.Exists(state))
            {
                Directory.Delete(state, recursive: true);
            }
        }
    }

    private static async Task<(IReadOnlyList<int> Pids, IReadOnlyList<int> Ports)> ProcessesOfAsync(DistributedApplication application)
    {
        var resources = await application.GetResourcesAsync(TestContext.Current.CancellationToken);
        var pids = resources.Where(r => r.TryGetProperty("pid", out var pid) && pid.ValueKind == JsonValueKind.Number).Select(r => r.GetProperty("pid").GetInt32()).ToList();
        var ports = resources.SelectMany(r => r.GetProperty("urls").EnumerateArray()).Select(url => new Uri(url.GetString()!).Port).ToList();
        Assert.Equal(9, pids.Count); // postgres, cache, messaging, dashboard and the five services
        return (pids, ports);
    }

    private static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    private static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port, TestContext.Current.CancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
