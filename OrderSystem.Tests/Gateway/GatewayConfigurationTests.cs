using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Gateway;

/// <summary>A Gateway that is configured wrongly stops at start and says what to fix.</summary>
[Trait("Category", "Integration")]
public sealed class GatewayConfigurationTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_gateway_without_api_keys_names_the_setting_to_add()
    {
        await using var gateway = StartGateway(new Dictionary<string, string?> { ["Authentication__ApiKeys__0"] = null });

        var exitCode = await gateway.Exited.WaitAsync(ExitTimeout, TestContext.Current.CancellationToken);

        Assert.Equal(78, exitCode);
        var error = Assert.Single(gateway.Output, line => line.Contains("error:", StringComparison.Ordinal));
        Assert.Contains("Authentication__ApiKeys__0", error, StringComparison.Ordinal);
        Assert.DoesNotContain(gateway.Output, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("RateLimiting__Burst", "0", "Burst")]
    [InlineData("RateLimiting__PermitsPerSecond", "-1", "PermitsPerSecond")]
    [InlineData("Gateway__MaxItemsPerOrder", "0", "MaxItemsPerOrder")]
    [InlineData("Gateway__OrdersDeadline", "00:00:00", "OrdersDeadline")]
    public async Task An_out_of_range_setting_stops_the_gateway_naming_it(string variable, string value, string member)
    {
        await using var gateway = StartGateway(new Dictionary<string, string?>
        {
            ["Authentication__ApiKeys__0"] = "a-key",
            [variable] = value,
        });

        var exitCode = await gateway.Exited.WaitAsync(ExitTimeout, TestContext.Current.CancellationToken);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(gateway.Output, line => line.Contains("validation failed", StringComparison.Ordinal) && line.Contains(member, StringComparison.Ordinal));
    }

    private static ChildProcess StartGateway(Dictionary<string, string?> environment)
    {
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = null;
        environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        return ChildProcess.Start(
            TestRepository.DotnetHost,
            [TestRepository.OutputOf("Gateway", "Gateway")],
            environment,
            workingDirectory: Path.Combine(TestRepository.Root, "Gateway"));
    }
}
