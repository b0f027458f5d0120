using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OrderSystem.Tests.Infrastructure;
using OrderSystem.ServiceDefaults.Redis;

namespace OrderSystem.Tests.Redis;

/// <summary>Each test gets its own server, because these tests kill connections and the server itself.</summary>
public sealed class RedisReconnectionTests : IAsyncLifetime
{
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromSeconds(30);

    private RedisServer _server = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await RedisServer.StartAsync(PasswordRedisServerFixture.Password);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_killed_connection_fails_pending_commands_and_the_next_command_reconnects()
    {
        await using var client = new RedisClient(RedisConnectionOptions.Parse(_server.ConnectionString("defaultDatabase=2")));
        await client.SetAsync("reconnect:before", "1", cancellationToken: Token);

        // A blocked BLPOP keeps the commands behind it pending until the connection dies.
        var blocked = client.ExecuteAsync("BLPOP", ["reconnect:never", 0], Token);
        var queued = client.GetAsync("reconnect:before", Token);
        await WaitUntilAsync(async () => (await _server.CliAsync("CLIENT", "LIST")).Contains("cmd=blpop", StringComparison.Ordinal));

        Assert.Equal("1", await _server.CliAsync("CLIENT", "KILL", "TYPE", "normal"));

        var blockedError = await Assert.ThrowsAsync<RedisConnectionException>(async () => await blocked);
        var queuedError = await Assert.ThrowsAsync<RedisConnectionException>(async () => await queued);
        Assert.Contains($"127.0.0.1:{_server.Port}", blockedError.Message, StringComparison.Ordinal);
        Assert.Contains("closed the connection", queuedError.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(PasswordRedisServerFixture.Password, blockedError.ToString(), StringComparison.Ordinal);

        // The next command gets a new connection, authenticated and on the same database.
        await client.SetAsync("reconnect:after", "2", cancellationToken: Token);
        Assert.Equal("2", (string?)await client.GetAsync("reconnect:after", Token));
        Assert.Equal("2", await _server.CliAsync("-n", "2", "GET", "reconnect:after"));
    }

    [Fact]
    public async Task The_client_recovers_after_a_server_restart_on_the_same_port()
    {
        await using var client = new RedisClient(RedisConnectionOptions.Parse(_server.ConnectionString()));
        await client.SetAsync("restart:before", "1", cancellationToken: Token);

        await _server.StopAsync();
        var whileDown = await Assert.ThrowsAsync<RedisConnectionException>(async () => await client.GetAsync("restart:before", Token));
        Assert.Contains($"127.0.0.1:{_server.Port}", whileDown.Message, StringComparison.Ordinal);

        await _server.StartAsync();
        await WaitUntilAsync(async () =>
        {
            try
            {
                await client.PingAsync(Token);
                return true;
            }
            catch (RedisConnectionException)
            {
                return false;
            }
        });

        // Without persistence the restarted server is empty.
        Assert.True((await client.GetAsync("restart:before", Token)).IsNull);
        await client.SetAsync("restart:after", "2", cancellationToken: Token);
        Assert.Equal("2", await _server.CliAsync("GET", "restart:after"));
    }

    [Fact]
    public async Task No_server_listening_fails_fast_with_the_endpoint()
    {
        var port = PortAllocator.AllocateFreePort();
        await using var client = new RedisClient(RedisConnectionOptions.Parse($"127.0.0.1:{port},password=never-shown"));

        var exception = await Assert.ThrowsAsync<RedisConnectionException>(async () => await client.GetAsync("key", Token));

        Assert.Contains($"Could not connect to Redis at 127.0.0.1:{port}", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("never-shown", exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_never_answers_the_handshake_times_out()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using var client = new RedisClient(RedisConnectionOptions.Parse($"127.0.0.1:{port},password=x,connectTimeout=300"));

        var exception = await Assert.ThrowsAsync<RedisConnectionException>(async () => await client.GetAsync("key", Token));

        Assert.Contains($"within 300 ms", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_fails_pending_commands_and_rejects_new_ones()
    {
        var client = new RedisClient(RedisConnectionOptions.Parse(_server.ConnectionString()));
        await client.PingAsync(Token);
        var blocked = client.ExecuteAsync("BLPOP", ["dispose:never", 0], Token);
        await WaitUntilAsync(async () => (await _server.CliAsync("CLIENT", "LIST")).Contains("cmd=blpop", StringComparison.Ordinal));

        await client.DisposeAsync();

        var exception = await Assert.ThrowsAsync<RedisConnectionException>(async () => await blocked);
        Assert.Contains("disposed", exception.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await client.GetAsync("key", Token));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            Assert.True(Stopwatch.GetElapsedTime(started) < RecoveryDeadline, "the condition did not become true in time");
            await Task.Delay(50, Token);
        }
    }
}
