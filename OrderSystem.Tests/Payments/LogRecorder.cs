using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OrderSystem.Tests.Payments;

/// <summary>
/// Keeps every log entry the service writes as the text any sink could see: category, formatted message,
/// structured values, scopes and the exception with its stack.
/// </summary>
public sealed class LogRecorder : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<string> Entries => _entries.ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(LogRecorder recorder, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => recorder._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var entry = new System.Text.StringBuilder($"{logLevel} {category}: {formatter(state, exception)}");
            Append(entry, state);
            recorder._scopes.ForEachScope((scope, builder) => Append(builder, scope), entry);
            if (exception is not null)
            {
                entry.Append(" exception: ").Append(exception);
            }

            recorder._entries.Enqueue(entry.ToString());
        }

        private static void Append(System.Text.StringBuilder entry, object? values)
        {
            if (values is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    entry.Append(" | ").Append(key).Append('=').Append(value);
                }
            }
            else if (values is not null)
            {
                entry.Append(" | ").Append(values);
            }
        }
    }
}
