using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Notifications;

/// <summary>
/// Everything the in-process Notifications app emits: every ended span of every source, every log entry (with its
/// structured values and exception) and every measurement of the service's own meter.
/// </summary>
internal sealed class TelemetryRecorder : ILoggerProvider
{
    private readonly StoppedActivities _spans = new(_ => true);
    private readonly ConcurrentQueue<LogEntry> _logs = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();
    private readonly MeterListener _meterListener = new();

    public TelemetryRecorder(string meterName)
    {
        _meterListener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            _measurements.Enqueue(new Measurement(instrument.Name, value, tags.ToArray().ToDictionary(tag => tag.Key, tag => tag.Value))));
        _meterListener.Start();
    }

    public IReadOnlyList<Activity> Spans => _spans.All;

    public IReadOnlyList<LogEntry> Logs => [.. _logs];

    public IReadOnlyList<Measurement> Measurements => [.. _measurements];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _logs);

    public void Dispose()
    {
        _spans.Dispose();
        _meterListener.Dispose();
    }

    internal sealed record LogEntry(string Category, LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> Values, Exception? Exception)
    {
        /// <summary>The message, every structured value and the exception, as one searchable text.</summary>
        public string FullText => string.Join(Environment.NewLine, [Message, .. Values.Select(value => $"{value.Key}={value.Value}"), Exception?.ToString()]);
    }

    internal sealed record Measurement(string Instrument, long Value, IReadOnlyDictionary<string, object?> Tags);

    private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), [.. values], exception));
        }
    }
}
