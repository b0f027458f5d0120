using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OrderSystem.ServiceDefaults.Configuration;
using OrderSystem.ServiceDefaults.Redis;

namespace OrderSystem.Tests.Redis;

public sealed class RedisClientExtensionsTests(RedisServerFixture fixture) : IClassFixture<RedisServerFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void A_missing_connection_string_names_the_variable_to_set()
    {
        var builder = Builder(connectionString: null);

        var exception = Assert.Throws<MissingConfigurationException>(() => builder.AddRedisClient("cache"));

        Assert.Contains("ConnectionStrings__cache", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_connection_string_says_what_is_wrong_without_the_password()
    {
        var builder = Builder("localhost:notaport,password=hunter2");

        var exception = Assert.Throws<MissingConfigurationException>(() => builder.AddRedisClient("cache"));

        Assert.Contains("'cache' is invalid", exception.Message, StringComparison.Ordinal);
        Assert.Contains("invalid port 'notaport'", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registers_one_client_and_a_ready_health_check_that_pings()
    {
        var builder = Builder(fixture.Server.ConnectionString("abortConnect=false"));

        builder.AddRedisClient("cache");
        await using var services = builder.Services.BuildServiceProvider();

        var client = services.GetRequiredService<RedisClient>();
        Assert.Same(client, services.GetRequiredService<RedisClient>());
        Assert.Equal(fixture.Server.Port, client.Options.Port);
        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"), Token);
        var entry = Assert.Single(report.Entries);
        Assert.Equal("cache_check", entry.Key);
        Assert.Equal(HealthStatus.Healthy, entry.Value.Status);
    }

    [Fact]
    public async Task The_health_check_is_unhealthy_when_redis_is_unreachable()
    {
        var builder = Builder("127.0.0.1:1,password=hunter2");

        builder.AddRedisClient("cache");
        await using var services = builder.Services.BuildServiceProvider();

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Token);
        var entry = report.Entries["cache_check"];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("127.0.0.1:1", entry.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", entry.Description, StringComparison.Ordinal);
    }

    private static HostApplicationBuilder Builder(string? connectionString)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        if (connectionString is not null)
        {
            builder.Configuration.AddInMemoryCollection([KeyValuePair.Create<string, string?>("ConnectionStrings:cache", connectionString)]);
        }

        builder.Services.AddLogging();
        return builder;
    }
}
