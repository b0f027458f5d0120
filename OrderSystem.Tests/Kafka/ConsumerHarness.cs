using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OrderSystem.ServiceDefaults.Kafka;

namespace OrderSystem.Tests.Kafka;

/// <summary>A host running one consumer registered through <c>AddKafkaMessageHandler</c>, as a service would.</summary>
internal sealed class ConsumerHarness : IAsyncDisposable
{
    private readonly IHost _host;

    private ConsumerHarness(IHost host, LogRecorder logs)
    {
        _host = host;
        Logs = logs;
    }

    public LogRecorder Logs { get; }

    /// <param name="deadLetters">The producer for the dead letters, in place of the one the registration adds.</param>
    public static async Task<ConsumerHarness> StartAsync(
        string bootstrapServers, string topic, string groupId, HandlerScript script, int maxRetryAttempts = 3, IProducer<string?, byte[]>? deadLetters = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:messaging"] = bootstrapServers,
            // Passed through to librdkafka: a test consumer fetches without waiting for batches.
            ["Aspire:Confluent:Kafka:Consumer:Config:fetch.wait.max.ms"] = "20",
            // The mock cluster holds a rebalance after a member leaves for session.timeout.ms - 1 s (44 s by default).
            ["Aspire:Confluent:Kafka:Consumer:Config:session.timeout.ms"] = "4000",
            ["Aspire:Confluent:Kafka:Consumer:Config:heartbeat.interval.ms"] = "500",
            ["Aspire:Confluent:Kafka:Consumer:Config:reconnect.backoff.max.ms"] = "200",
        });
        var logs = new LogRecorder();
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton(script);
        if (deadLetters is not null)
        {
            builder.Services.AddSingleton(deadLetters);
        }

        builder.AddKafkaMessageHandler<ScriptedHandler, string>(
            "messaging",
            options =>
            {
                options.Topics = [topic];
                options.MaxRetryAttempts = maxRetryAttempts;
                options.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
                options.RetryMaxDelay = TimeSpan.FromMilliseconds(50);
            },
            consumer => consumer.Config.GroupId = groupId);

        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new ConsumerHarness(host, logs);
    }

    public Task StopAsync() => _host.StopAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}

/// <summary>Parses UTF-8 text; text starting with "malformed" fails to parse.</summary>
internal sealed class ScriptedHandler(HandlerScript script) : IKafkaMessageHandler<string>
{
    public string Deserialize(ReadOnlySpan<byte> payload)
    {
        var text = Encoding.UTF8.GetString(payload);
        return text.StartsWith("malformed", StringComparison.Ordinal)
            ? throw new FormatException($"not an order event ({payload.Length} bytes)")
            : text;
    }

    public Task HandleAsync(KafkaMessage<string> message, CancellationToken cancellationToken) => script.HandleAsync(message, cancellationToken);
}

/// <summary>What a test's handler does with each message (by payload and attempt), and what it saw.</summary>
internal sealed class HandlerScript(Func<string, int, CancellationToken, Task>? behaviour = null)
{
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<HandledMessage> _handled = new();

    public IReadOnlyList<HandledMessage> Handled => _handled.ToList();

    public IReadOnlyList<string> HandledValues => _handled.Select(handled => handled.Message.Value).ToList();

    public int Attempts(string value) => _attempts.GetValueOrDefault(value);

    public async Task HandleAsync(KafkaMessage<string> message, CancellationToken cancellationToken)
    {
        var attempt = _attempts.AddOrUpdate(message.Value, 1, (_, previous) => previous + 1);
        if (behaviour is not null)
        {
            await behaviour(message.Value, attempt, cancellationToken);
        }

        _handled.Enqueue(new HandledMessage(message, Activity.Current, Baggage.GetBaggage("tenant")));
    }
}

internal sealed record HandledMessage(KafkaMessage<string> Message, Activity? Span, string? Tenant);

internal sealed class LogRecorder : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => _entries.ToList();

    public ILogger CreateLogger(string categoryName) => new Recorder(_entries);

    public void Dispose()
    {
    }

    private sealed class Recorder(ConcurrentQueue<(LogLevel, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                entries.Enqueue((logLevel, formatter(state, exception)));
            }
        }
    }
}
