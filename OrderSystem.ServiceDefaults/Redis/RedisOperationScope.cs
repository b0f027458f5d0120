using System.Diagnostics;
using System.Globalization;

namespace OrderSystem.ServiceDefaults.Redis;

/// <summary>
/// The telemetry of one Redis operation (a command, or a pipelined batch): a CLIENT span when someone listens to
/// <see cref="RedisTelemetry.ActivitySourceName"/>, and a <c>db.client.operation.duration</c> measurement when the
/// histogram is enabled. Costs nothing when neither is.
/// </summary>
internal readonly struct RedisOperationScope
{
    private readonly Activity? _activity;
    private readonly string _operation;
    private readonly RedisConnectionOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly long _startTimestamp;

    private RedisOperationScope(string operation, RedisConnectionOptions options, TimeProvider timeProvider)
    {
        _operation = operation;
        _options = options;
        _timeProvider = timeProvider;
        var caller = Activity.Current;
        _activity = RedisTelemetry.Source.HasListeners()
            ? RedisTelemetry.Source.StartActivity(
                ActivityKind.Client,
                tags:
                [
                    new(RedisTelemetry.DbSystemName, "redis"),
                    new(RedisTelemetry.DbOperationName, operation),
                    new(RedisTelemetry.ServerAddress, options.Host),
                    new(RedisTelemetry.ServerPort, options.Port),
                ],
                name: operation)
            : null;
        // StartActivity makes the span current, and the command is sent from a synchronous method, so without this the
        // caller's next span (after its await) would become a child of this finished command span.
        Activity.Current = caller;
        _startTimestamp = RedisTelemetry.OperationDuration.Enabled ? timeProvider.GetTimestamp() : 0;
        _activity?.SetTag(RedisTelemetry.DbNamespace, options.DefaultDatabase.ToString(CultureInfo.InvariantCulture));
    }

    public bool IsActive => _activity is not null || _startTimestamp != 0;

    public static RedisOperationScope StartCommand(scoped in RedisCommand command, RedisConnectionOptions options, TimeProvider timeProvider)
    {
        var scope = new RedisOperationScope(command.Name, options, timeProvider);
        if (scope._activity is { IsAllDataRequested: true } activity)
        {
            activity.SetTag(RedisTelemetry.DbQueryText, RedisStatement.Build(command));
        }

        return scope;
    }

    /// <param name="size">The number of commands; <see langword="null"/> for a batch of one, which is a plain command.</param>
    /// <param name="statements">The sanitized statement of each command, when they were collected.</param>
    public static RedisOperationScope StartBatch(string operation, int? size, IReadOnlyList<string>? statements, RedisConnectionOptions options, TimeProvider timeProvider)
    {
        var scope = new RedisOperationScope(operation, options, timeProvider);
        if (scope._activity is { IsAllDataRequested: true } activity)
        {
            if (size is not null)
            {
                activity.SetTag(RedisTelemetry.DbOperationBatchSize, size);
            }

            if (statements is not null)
            {
                activity.SetTag(RedisTelemetry.DbQueryText, string.Join('\n', statements));
            }
        }

        return scope;
    }

    public void Stop(Exception? error)
    {
        var errorType = error switch
        {
            null => null,
            RedisServerException serverError => serverError.Prefix,
            _ => error.GetType().FullName,
        };

        if (_activity is not null)
        {
            if (errorType is not null)
            {
                _activity.SetStatus(ActivityStatusCode.Error, error!.Message);
                _activity.SetTag(RedisTelemetry.ErrorType, errorType);
                if (error is RedisServerException)
                {
                    _activity.SetTag(RedisTelemetry.DbResponseStatusCode, errorType);
                }
            }

            _activity.Dispose();
        }

        if (_startTimestamp != 0)
        {
            var tags = new TagList
            {
                { RedisTelemetry.DbSystemName, "redis" },
                { RedisTelemetry.DbOperationName, _operation },
                { RedisTelemetry.ServerAddress, _options.Host },
                { RedisTelemetry.ServerPort, _options.Port },
            };
            if (errorType is not null)
            {
                tags.Add(RedisTelemetry.ErrorType, errorType);
            }

            RedisTelemetry.OperationDuration.Record(_timeProvider.GetElapsedTime(_startTimestamp).TotalSeconds, tags);
        }
    }
}
