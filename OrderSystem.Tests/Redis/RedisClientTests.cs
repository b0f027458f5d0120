using OrderSystem.ServiceDefaults.Redis;

namespace OrderSystem.Tests.Redis;

public sealed class RedisClientTests(RedisServerFixture fixture) : IClassFixture<RedisServerFixture>, IAsyncDisposable
{
    private readonly RedisClient _client = new(RedisConnectionOptions.Parse(fixture.Server.ConnectionString()));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Set_then_get_round_trips_text()
    {
        Assert.True(await _client.SetAsync("client:text", "héllo wörld", cancellationToken: Token));

        Assert.Equal("héllo wörld", (string?)await _client.GetAsync("client:text", Token));
        Assert.Equal("héllo wörld", await fixture.Server.CliAsync("GET", "client:text"));
    }

    [Fact]
    public async Task Set_then_get_round_trips_a_large_binary_value_across_many_reads()
    {
        var value = new byte[3 * 1024 * 1024 + 7];
        new Random(42).NextBytes(value);

        await _client.SetAsync("client:large", value, cancellationToken: Token);

        Assert.Equal(value, (byte[]?)await _client.GetAsync("client:large", Token));
    }

    [Fact]
    public async Task Evaluate_runs_a_script_on_its_keys_and_arguments_and_returns_its_reply()
    {
        const string Script = "redis.call('SET', KEYS[1], ARGV[1]); redis.call('SET', KEYS[2], ARGV[2]); return {KEYS[2], tonumber(ARGV[2]) + 1}";

        var reply = await _client.EvaluateAsync(Script, ["client:eval:a", "client:eval:b"], ["first", 41L], Token);

        Assert.Equal(["client:eval:b", "42"], reply.Elements!.Select(element => element.AsRedisValue().ToString()));
        Assert.Equal("first", await fixture.Server.CliAsync("GET", "client:eval:a"));
        Assert.Equal("41", await fixture.Server.CliAsync("GET", "client:eval:b"));
        Assert.Equal(1, (await _client.EvaluateAsync("return #KEYS + #ARGV", [], ["only"], Token)).Integer);
        var error = await Assert.ThrowsAsync<RedisServerException>(async () => await _client.EvaluateAsync("return redis.call('NOSUCHCOMMAND')", [], [], Token));
        Assert.Contains("Unknown Redis command", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Get_of_a_missing_key_is_nil()
    {
        var value = await _client.GetAsync("client:missing", Token);

        Assert.True(value.IsNull);
        Assert.Null((string?)value);
    }

    [Fact]
    public async Task Set_with_expiry_sets_a_ttl()
    {
        await _client.SetAsync("client:ttl", "v", TimeSpan.FromSeconds(100), cancellationToken: Token);
        await _client.SetAsync("client:pttl", "v", TimeSpan.FromMilliseconds(90_500), cancellationToken: Token);

        Assert.InRange(long.Parse(await fixture.Server.CliAsync("TTL", "client:ttl")), 90, 100);
        Assert.InRange(long.Parse(await fixture.Server.CliAsync("PTTL", "client:pttl")), 80_000, 90_500);
    }

    [Fact]
    public async Task Set_not_exists_only_sets_a_new_key()
    {
        await _client.DeleteAsync("client:nx", Token);

        Assert.True(await _client.SetAsync("client:nx", "first", when: When.NotExists, cancellationToken: Token));
        Assert.False(await _client.SetAsync("client:nx", "second", TimeSpan.FromSeconds(10), When.NotExists, Token));
        Assert.Equal("first", (string?)await _client.GetAsync("client:nx", Token));
    }

    [Fact]
    public async Task Set_exists_only_overwrites_an_existing_key()
    {
        await _client.DeleteAsync("client:xx", Token);

        Assert.False(await _client.SetAsync("client:xx", "first", when: When.Exists, cancellationToken: Token));
        await _client.SetAsync("client:xx", "first", cancellationToken: Token);
        Assert.True(await _client.SetAsync("client:xx", "second", when: When.Exists, cancellationToken: Token));
        Assert.Equal("second", (string?)await _client.GetAsync("client:xx", Token));
    }

    [Fact]
    public async Task Get_many_returns_values_in_order_with_nil_for_missing_keys()
    {
        await _client.SetAsync("client:m1", "one", cancellationToken: Token);
        await _client.SetAsync("client:m3", 3, cancellationToken: Token);

        var values = await _client.GetManyAsync(["client:m1", "client:m2", "client:m3"], Token);

        Assert.Equal("one", (string?)values[0]);
        Assert.True(values[1].IsNull);
        Assert.Equal(3, (long)values[2]);
    }

    [Fact]
    public async Task Delete_reports_whether_keys_existed()
    {
        await _client.SetAsync("client:d1", "x", cancellationToken: Token);
        await _client.SetAsync("client:d2", "x", cancellationToken: Token);

        Assert.True(await _client.DeleteAsync("client:d1", Token));
        Assert.False(await _client.DeleteAsync("client:d1", Token));
        Assert.Equal(1, await _client.DeleteAsync(["client:d1", "client:d2", "client:d3"], Token));
    }

    [Fact]
    public async Task Expire_sets_a_ttl_on_existing_keys_only()
    {
        await _client.SetAsync("client:e", "x", cancellationToken: Token);

        Assert.True(await _client.ExpireAsync("client:e", TimeSpan.FromSeconds(50), Token));
        Assert.False(await _client.ExpireAsync("client:e-missing", TimeSpan.FromSeconds(50), Token));
        Assert.InRange(long.Parse(await fixture.Server.CliAsync("TTL", "client:e")), 40, 50);
    }

    [Fact]
    public async Task Increment_counts_up_from_zero_and_by_a_step()
    {
        await _client.DeleteAsync("client:counter", Token);

        Assert.Equal(1, await _client.IncrementAsync("client:counter", cancellationToken: Token));
        Assert.Equal(2, await _client.IncrementAsync("client:counter", cancellationToken: Token));
        Assert.Equal(-8, await _client.IncrementAsync("client:counter", -10, Token));
    }

    [Fact]
    public async Task Ping_measures_a_round_trip()
    {
        var roundTrip = await _client.PingAsync(Token);

        Assert.True(roundTrip > TimeSpan.Zero);
    }

    [Fact]
    public async Task An_error_reply_throws_with_the_server_message_and_the_connection_stays_usable()
    {
        await _client.SetAsync("client:not-a-number", "abc", cancellationToken: Token);

        var exception = await Assert.ThrowsAsync<RedisServerException>(async () => await _client.IncrementAsync("client:not-a-number", cancellationToken: Token));

        Assert.Equal("ERR value is not an integer or out of range", exception.Message);
        Assert.Equal("ERR", exception.Prefix);
        Assert.Equal("abc", (string?)await _client.GetAsync("client:not-a-number", Token));
    }

    [Fact]
    public async Task A_wrong_type_error_carries_its_prefix()
    {
        await _client.ExecuteAsync("RPUSH", ["client:list", "a"], Token);

        var exception = await Assert.ThrowsAsync<RedisServerException>(async () => await _client.GetAsync("client:list", Token));

        Assert.Equal("WRONGTYPE", exception.Prefix);
    }

    [Fact]
    public async Task Execute_returns_raw_replies_of_any_type()
    {
        await _client.ExecuteAsync("DEL", ["client:raw"], Token);
        await _client.ExecuteAsync("RPUSH", ["client:raw", "a", "b"], Token);

        var range = await _client.ExecuteAsync("LRANGE", ["client:raw", 0, -1], Token);

        Assert.Equal(["a", "b"], range.Elements!.Select(e => (string?)e.AsRedisValue()));
        Assert.Equal(RespType.Integer, (await _client.ExecuteAsync("EXISTS", ["client:raw"], Token)).Type);
    }

    [Fact]
    public async Task Concurrent_callers_each_get_their_own_reply()
    {
        const int callers = 50;
        const int commandsPerCaller = 200;

        await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            for (var i = 0; i < commandsPerCaller; i++)
            {
                var key = $"client:concurrent:{caller}:{i % 10}";
                var value = $"{caller}-{i}";
                await _client.SetAsync(key, value, cancellationToken: Token);
                Assert.Equal(value, (string?)await _client.GetAsync(key, Token));
            }
        }, Token)));
    }

    [Fact]
    public async Task Many_commands_in_flight_from_one_caller_complete_in_order()
    {
        var increments = new ValueTask<long>[2000];
        await _client.DeleteAsync("client:ordered", Token);

        for (var i = 0; i < increments.Length; i++)
        {
            increments[i] = _client.IncrementAsync("client:ordered", cancellationToken: Token);
        }

        for (var i = 0; i < increments.Length; i++)
        {
            Assert.Equal(i + 1, await increments[i]);
        }
    }

    [Fact]
    public async Task A_batch_pipelines_commands_and_completes_each_with_its_reply()
    {
        await _client.SetAsync("client:batch:existing", "kept", cancellationToken: Token);
        var batch = _client.CreateBatch();

        var set = batch.SetAsync("client:batch:a", "A", cancellationToken: Token);
        var get = batch.GetAsync("client:batch:a", Token);
        var many = batch.GetManyAsync(["client:batch:a", "client:batch:existing", "client:batch:none"], Token);
        var failing = batch.IncrementAsync("client:batch:existing", cancellationToken: Token);
        var deleted = batch.DeleteAsync("client:batch:a", Token);
        Assert.Equal(5, batch.Count);

        await batch.ExecuteAsync(Token);

        Assert.True(await set);
        Assert.Equal("A", (string?)await get);
        Assert.Equal(["A", "kept", null], (await many).Select(v => (string?)v));
        await Assert.ThrowsAsync<RedisServerException>(async () => await failing);
        Assert.True(await deleted);
    }

    [Fact]
    public async Task A_batch_executes_once()
    {
        var batch = _client.CreateBatch();
        var ping = batch.GetAsync("client:batch:once", Token);
        await batch.ExecuteAsync(Token);
        await ping;

        await Assert.ThrowsAsync<InvalidOperationException>(() => batch.ExecuteAsync(Token));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await batch.GetAsync("client:batch:once", Token));
    }

    [Fact]
    public async Task Cancelling_a_waiting_command_keeps_later_replies_in_step()
    {
        await _client.SetAsync("client:after-cancel", "mine", cancellationToken: Token);
        await _client.ExecuteAsync("DEL", ["client:blocked"], Token);
        using var cancellation = new CancellationTokenSource();

        // BLPOP holds the connection's reply stream until the list gets an element.
        var blocked = _client.ExecuteAsync("BLPOP", ["client:blocked", 0], cancellation.Token);
        var queuedBehind = _client.GetAsync("client:after-cancel", Token);
        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await blocked);

        await fixture.Server.CliAsync("RPUSH", "client:blocked", "for-the-cancelled-caller");

        Assert.Equal("mine", (string?)await queuedBehind);
        Assert.Equal("mine", (string?)await _client.GetAsync("client:after-cancel", Token));
        Assert.Equal("0", await fixture.Server.CliAsync("LLEN", "client:blocked"));
    }

    [Fact]
    public async Task An_already_cancelled_token_sends_nothing()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await _client.IncrementAsync("client:never", cancellationToken: cancellation.Token));

        Assert.True((await _client.GetAsync("client:never", Token)).IsNull);
    }

    [Fact]
    public async Task Invalid_arguments_are_rejected_before_sending()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () => await _client.SetAsync("client:nil", RedisValue.Null, cancellationToken: Token));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await _client.SetAsync("client:nil", "v", TimeSpan.Zero, cancellationToken: Token));
        await Assert.ThrowsAsync<ArgumentException>(async () => await _client.GetManyAsync([], Token));
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
