using OrderSystem.ServiceDefaults.Redis;

namespace OrderSystem.Tests.Redis;

public sealed class RedisAuthenticationTests(PasswordRedisServerFixture fixture) : IClassFixture<PasswordRedisServerFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Authenticates_with_the_password()
    {
        await using var client = new RedisClient(RedisConnectionOptions.Parse(fixture.Server.ConnectionString()));

        await client.SetAsync("auth:key", "value", cancellationToken: Token);

        Assert.Equal("value", (string?)await client.GetAsync("auth:key", Token));
    }

    [Fact]
    public async Task Authenticates_as_a_named_acl_user()
    {
        await using var client = new RedisClient(RedisConnectionOptions.Parse(fixture.Server.ConnectionString("user=default")));

        Assert.True(await client.PingAsync(Token) > TimeSpan.Zero);
    }

    [Fact]
    public async Task A_wrong_password_fails_with_a_connection_error_that_does_not_show_it()
    {
        await using var client = new RedisClient(RedisConnectionOptions.Parse($"127.0.0.1:{fixture.Server.Port},password=not-the-password"));

        var exception = await Assert.ThrowsAsync<RedisConnectionException>(async () => await client.GetAsync("auth:key", Token));

        Assert.Contains($"127.0.0.1:{fixture.Server.Port}", exception.Message, StringComparison.Ordinal);
        Assert.Contains("rejected the authentication", exception.Message, StringComparison.Ordinal);
        Assert.Contains("WRONGPASS", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_password_commands_get_the_servers_noauth_error()
    {
        await using var client = new RedisClient(RedisConnectionOptions.Parse($"127.0.0.1:{fixture.Server.Port}"));

        var exception = await Assert.ThrowsAsync<RedisServerException>(async () => await client.GetAsync("auth:key", Token));

        Assert.Equal("NOAUTH", exception.Prefix);
    }

    [Fact]
    public async Task Selects_the_default_database()
    {
        await using var client = new RedisClient(RedisConnectionOptions.Parse(fixture.Server.ConnectionString("defaultDatabase=5")));

        await client.SetAsync("auth:in-db-5", "five", cancellationToken: Token);

        Assert.Equal("five", await fixture.Server.CliAsync("-n", "5", "GET", "auth:in-db-5"));
        Assert.Equal("0", await fixture.Server.CliAsync("-n", "0", "EXISTS", "auth:in-db-5"));
    }

    [Fact]
    public async Task A_database_the_server_does_not_have_fails_the_connection_clearly()
    {
        await using var client = new RedisClient(RedisConnectionOptions.Parse(fixture.Server.ConnectionString("defaultDatabase=99")));

        var exception = await Assert.ThrowsAsync<RedisConnectionException>(async () => await client.PingAsync(Token));

        Assert.Contains("rejected the SELECT 99", exception.Message, StringComparison.Ordinal);
    }
}
