using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Platform;

/// <summary>Bad configuration stops a process at once with one error line that names what to fix.</summary>
[Trait("Category", "Integration")]
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
    public async Task The_diagnostics_service_without_its_browser_token_names_the_setting()
    {
        await using var diagnostics = ChildProcess.Start(
            TestRepository.DotnetHost,
            [TestRepository.OutputOf("OrderSystem.Diagnostics", "OrderSystem.Diagnostics"), "--Kestrel:Endpoints:http:Url=http://127.0.0.1:0", "--Kestrel:Endpoints:otlp-grpc:Url=http://127.0.0.1:0"],
            new Dictionary<string, string?> { ["Diagnostics__Frontend__BrowserToken"] = null, ["Diagnostics__Otlp__PrimaryApiKey"] = "a-key" },
            workingDirectory: Path.Combine(TestRepository.Root, "OrderSystem.Diagnostics"));

        var exitCode = await diagnostics.Exited.WaitAsync(ExitTimeout, TestContext.Current.CancellationToken);

        Assert.Equal(78, exitCode);
        AssertOneClearError(diagnostics, "Diagnostics:Frontend:BrowserToken", "Diagnostics__Frontend__BrowserToken");
    }

    [Fact]
    public async Task An_unknown_infrastructure_backing_stops_the_apphost_with_the_key_and_its_values()
    {
        var state = TestRepository.CreateStateDirectory("bad-backing");
        try
        {
            await using var appHost = AppHostProcess.Start(state, new Dictionary<string, string?> { ["OrderSystem__Infrastructure"] = "Bogus" });

            var exitCode = await appHost.Exited.WaitAsync(ExitTimeout, TestContext.Current.CancellationToken);

            Assert.NotEqual(0, exitCode);
            var error = Assert.Single(appHost.Output, line => line.Contains("OrderSystem:Infrastructure", StringComparison.Ordinal));
            Assert.Contains("'Bogus'", error, StringComparison.Ordinal);
            Assert.Contains("Containers", error, StringComparison.Ordinal);
            Assert.Contains("Processes", error, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(state, "endpoints.json")), "nothing should have started");
        }
        finally
        {
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
