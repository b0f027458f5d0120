using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using OrderSystem.ServiceDefaults.Redis;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Redis;

public sealed class RedisTelemetryTests : IClassFixture<RedisServerFixture>, IAsyncDisposable
{
    private static readonly ActivitySource TestSource = new("OrderSystem.Tests.Redis");

    private readonly RedisServerFixture _fixture;
    private readonly RedisClient _client;
    private readonly MeterListener _meterListener = new();
    private readonly StoppedActivities _spans = new(source => source.Name is RedisTelemetry.ActivitySourceName or "OrderSystem.Tests.Redis");
    private readonly ConcurrentQueue<(double Seconds, Dictionary<string, object?> Tags)> _durations = new();

    public RedisTelemetryTests(RedisServerFixture fixture)
    {
        _fixture = fixture;
        _client = new RedisClient(RedisConnectionOptions.Parse(fixture.Server.ConnectionString("defaultDatabase=1")));
        _meterListener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RedisTelemetry.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meterListener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
            _durations.Enqueue((value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        _meterListener.Start();
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_command_is_a_client_span_named_by_the_command_with_semantic_convention_tags()
    {
        using (TestSource.StartActivity("parent"))
        {
            await _client.SetAsync("otel:set", "secret-value-123", TimeSpan.FromSeconds(30), When.NotExists, Token);
        }

        var span = SpanWithStatement("SET otel:set ? EX ? NX");
        Assert.Equal("SET", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("redis", span.GetTagItem("db.system.name"));
        Assert.Equal("SET", span.GetTagItem("db.operation.name"));
        Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
        Assert.Equal(_fixture.Server.Port, span.GetTagItem("server.port"));
        Assert.Equal("1", span.GetTagItem("db.namespace"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal("parent", _spans.All.Single(s => s.SpanId == span.ParentSpanId).DisplayName);
        Assert.DoesNotContain(span.TagObjects, tag => tag.Value?.ToString()?.Contains("secret-value-123", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task After_a_command_the_callers_span_is_current_again()
    {
        using var parent = TestSource.StartActivity("caller")!;

        await _client.GetAsync("otel:current", Token);
        using var next = TestSource.StartActivity("next step")!;

        Assert.Same(parent, next.Parent);
    }

    [Fact]
    public async Task Keys_are_shown_and_values_hidden_for_every_typed_command()
    {
        await _client.GetAsync("otel:get", Token);
        await _client.GetManyAsync(["otel:m1", "otel:m2"], Token);
        await _client.DeleteAsync("otel:del", Token);
        await _client.ExpireAsync("otel:exp", TimeSpan.FromSeconds(5), Token);
        await _client.IncrementAsync("otel:incr", 5, Token);
        await _client.ExecuteAsync("ECHO", ["otel:echo-value"], Token);

        SpanWithStatement("GET otel:get");
        SpanWithStatement("MGET otel:m1 otel:m2");
        SpanWithStatement("DEL otel:del");
        SpanWithStatement("EXPIRE otel:exp ?");
        SpanWithStatement("INCRBY otel:incr ?");
        Assert.DoesNotContain(_spans.All, span => span.GetTagItem("db.query.text") is string statement && statement.Contains("otel:echo-value", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_error_reply_marks_the_span_as_failed_with_the_error_prefix()
    {
        await _client.SetAsync("otel:text", "abc", cancellationToken: Token);

        await Assert.ThrowsAsync<RedisServerException>(async () => await _client.IncrementAsync("otel:text", cancellationToken: Token));

        var span = SpanWithStatement("INCR otel:text");
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("ERR", span.GetTagItem("error.type"));
        Assert.Equal("ERR", span.GetTagItem("db.response.status_code"));
    }

    [Fact]
    public async Task A_connection_failure_marks_the_span_with_the_exception_type()
    {
        await using var unreachable = new RedisClient(RedisConnectionOptions.Parse("127.0.0.1:1"));

        await Assert.ThrowsAsync<RedisConnectionException>(async () => await unreachable.GetAsync("otel:unreachable", Token));

        var span = SpanWithStatement("GET otel:unreachable");
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(typeof(RedisConnectionException).FullName, span.GetTagItem("error.type"));
        Assert.Null(span.GetTagItem("db.response.status_code"));
        Assert.Equal(1, span.GetTagItem("server.port"));
    }

    [Fact]
    public async Task A_batch_is_one_span_with_its_size_and_every_statement()
    {
        var batch = _client.CreateBatch();
        var first = batch.GetAsync("otel:b1", Token);
        var second = batch.GetAsync("otel:b2", Token);
        var third = batch.GetAsync("otel:b3", Token);

        await batch.ExecuteAsync(Token);
        await first;
        await second;
        await third;

        var span = SpanWithStatement("GET otel:b1\nGET otel:b2\nGET otel:b3");
        Assert.Equal("PIPELINE GET", span.DisplayName);
        Assert.Equal("PIPELINE GET", span.GetTagItem("db.operation.name"));
        Assert.Equal(3, span.GetTagItem("db.operation.batch.size"));
        Assert.DoesNotContain(_spans.All, s => s.GetTagItem("db.query.text") is "GET otel:b1");
    }

    [Fact]
    public async Task A_batch_of_different_commands_is_a_pipeline_span_and_a_batch_of_one_is_a_plain_command_span()
    {
        var mixed = _client.CreateBatch();
        var set = mixed.SetAsync("otel:mixed", "v", cancellationToken: Token);
        var get = mixed.GetAsync("otel:mixed", Token);
        await mixed.ExecuteAsync(Token);
        await set;
        await get;
        var single = _client.CreateBatch();
        var only = single.DeleteAsync("otel:single", Token);
        await single.ExecuteAsync(Token);
        await only;

        Assert.Equal("PIPELINE", SpanWithStatement("SET otel:mixed ?\nGET otel:mixed").DisplayName);
        var one = SpanWithStatement("DEL otel:single");
        Assert.Equal("DEL", one.DisplayName);
        Assert.Null(one.GetTagItem("db.operation.batch.size"));
    }

    [Fact]
    public async Task Every_command_records_its_duration_in_seconds()
    {
        await _client.SetAsync("otel:metric", "abc", cancellationToken: Token);
        await Assert.ThrowsAsync<RedisServerException>(async () => await _client.IncrementAsync("otel:metric", cancellationToken: Token));

        var incr = _durations.Last(d => (string?)d.Tags["db.operation.name"] == "INCR");
        Assert.Equal("redis", incr.Tags["db.system.name"]);
        Assert.Equal("127.0.0.1", incr.Tags["server.address"]);
        Assert.Equal(_fixture.Server.Port, incr.Tags["server.port"]);
        Assert.Equal("ERR", incr.Tags["error.type"]);
        Assert.InRange(incr.Seconds, 0, 10);
        Assert.Contains(_durations, d => (string?)d.Tags["db.operation.name"] == "SET" && !d.Tags.ContainsKey("error.type"));
    }

    public async ValueTask DisposeAsync()
    {
        _spans.Dispose();
        _meterListener.Dispose();
        await _client.DisposeAsync();
    }

    private Activity SpanWithStatement(string statement) =>
        Assert.Single(_spans.All, span => span.Source.Name == RedisTelemetry.ActivitySourceName && (string?)span.GetTagItem("db.query.text") == statement);
}
