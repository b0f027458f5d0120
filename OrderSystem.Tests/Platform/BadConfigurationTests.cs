using System.Net;
using System.Net.Sockets;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Platform;

/// <summary>Bad configuration gives one clear error line that names the fix, not a stack trace.</summary>
public sealed class BadConfigurationTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_service_without_its_connection_string_names_the_variable_to_set()
    {
        await using var orders = ChildProcess.Start(
            TestRepository.DotnetHost,
            [TestRepository.OutputOf("Orders", "Orders")],
            new Dictionary<string, string?> { ["ConnectionStrings__ordersdb"] = null, ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null },
            workingDirectory: Path.Combine(TestRepository.Root, "Orders"));

        var exitCode = await orders.Exited.WaitAsync(ExitTimeout, TestContext.Current.CancellationToken);

        Assert.Equal(78, exitCode);
        AssertOneClearError(orders, "ConnectionStrings__ordersdb");
    }

    [Fact]
    public async Task A_pinned_port_in_use_is_reported_with_how_to_choose_another()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;
        var state = TestRepository.CreateStateDirectory("port-in-use");
        try
        {
            await using var appHost = DistributedApplication.LaunchAppHost(state, new Dictionary<string, string?> { ["Ports__gateway"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });

            var exitCode = await appHost.Exited.WaitAsync(ExitTimeout, TestContext.Current.CancellationToken);

            Assert.Equal(1, exitCode);
            AssertOneClearError(appHost, $"port {port} for resource 'gateway' is in use", "Ports__gateway=");
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Fact]
    public async Task A_missing_program_names_the_debian_package()
    {
        var emptyPath = Directory.CreateTempSubdirectory("ordersystem-empty-path-").FullName;
        var state = TestRepository.CreateStateDirectory("missing-program");
        try
        {
            await using var appHost = DistributedApplication.LaunchAppHost(state, new Dictionary<string, string?> { ["PATH"] = emptyPath });

            var exitCode = await appHost.Exited.WaitAsync(ExitTimeout, TestContext.Current.CancellationToken);

            Assert.Equal(1, exitCode);
            AssertOneClearError(appHost, "redis-server (apt-get install redis-server)");
        }
        finally
        {
            Directory.Delete(emptyPath);
            Directory.Delete(state, recursive: true);
        }
    }

    private static void AssertOneClearError(ChildProcess process, params string[] expectedFragments)
    {
        var errors = process.Output.Where(line => line.Contains("error:", StringComparison.Ordinal)).ToList();
        var error = Assert.Single(errors);
        foreach (var fragment in expectedFragments)
        {
            Assert.Contains(fragment, error, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(process.Output, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.DoesNotContain(process.Output, line => line.Contains("Unhandled exception", StringComparison.Ordinal));
    }
}
