using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using Polly;
using Polly.Retry;

namespace OrderSystem.ServiceDefaults.Kafka;

/// <summary>
/// Processes one consumed message under a CONSUMER span <c>process {topic}</c>: parse it (malformed: dead-letter at
/// once), then run the handler with bounded retries (still failing: dead-letter). It returns once the message may be
/// committed, and throws only when it must not be: on shutdown, or when the dead-letter topic is unreachable.
/// </summary>
internal sealed partial class KafkaMessageProcessor<THandler, TMessage>
    where THandler : IKafkaMessageHandler<TMessage>
{
    private static readonly ResiliencePropertyKey<ConsumeResult<string?, byte[]>> MessageKey = new("kafka.message");

    private readonly string _groupId;
    private readonly KafkaServerAddress _server;
    private readonly bool _tracing;
    private readonly bool _metrics;
    private readonly IServiceScopeFactory _scopes;
    private readonly KafkaDeadLetterPublisher _deadLetters;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _retry;

    public KafkaMessageProcessor(
        KafkaMessageHandlerOptions options,
        KafkaConsumerSettings settings,
        IServiceScopeFactory scopes,
        KafkaDeadLetterPublisher deadLetters,
        TimeProvider timeProvider,
        ILogger logger)
    {
        _groupId = settings.Config.GroupId;
        _server = KafkaServerAddress.FromBootstrapServers(settings.Config.BootstrapServers);
        _tracing = !settings.DisableTracing;
        _metrics = !settings.DisableMetrics;
        _scopes = scopes;
        _deadLetters = deadLetters;
        _timeProvider = timeProvider;
        _logger = logger;
        _retry = CreateRetryPipeline(options, timeProvider);
    }

    public async Task ProcessAsync(ConsumeResult<string?, byte[]> result, CancellationToken cancellationToken)
    {
        var parent = KafkaTraceContext.Extract(result.Message.Headers);
        // The producer's baggage applies to everything the handler calls, as it would for an HTTP request.
        Baggage.Current = parent.Baggage;
        using var activity = StartProcessActivity(result, parent.ActivityContext);
        var started = _timeProvider.GetTimestamp();
        string? errorType = null;
        RecordConsumed(result);

        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetRequiredService<THandler>();
            if (!TryParse(handler, result, out var message, out var parseError))
            {
                errorType = parseError.GetType().FullName!;
                await _deadLetters.PublishAsync(result, DeadLetterReason.Malformed, parseError, cancellationToken);
                return;
            }

            var context = ResilienceContextPool.Shared.Get(cancellationToken);
            context.Properties.Set(MessageKey, result);
            try
            {
                await _retry.ExecuteAsync(
                    static (context, state) => new ValueTask(state.handler.HandleAsync(state.message, context.CancellationToken)),
                    context,
                    (handler, message));
            }
            catch (Exception handlerError) when (!IsShutdown(handlerError, cancellationToken))
            {
                errorType = handlerError.GetType().FullName!;
                await _deadLetters.PublishAsync(result, DeadLetterReason.RetriesExhausted, handlerError, cancellationToken);
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }
        catch (Exception exception)
        {
            // Shutdown or an unreachable dead-letter topic: the message stays uncommitted and is consumed again.
            errorType = exception.GetType().FullName!;
            throw;
        }
        finally
        {
            if (errorType is not null)
            {
                activity?.SetStatus(ActivityStatusCode.Error).SetTag(MessagingAttributes.ErrorType, errorType);
            }

            RecordDuration(result.Topic, errorType, _timeProvider.GetElapsedTime(started));
        }
    }

    private static bool TryParse(THandler handler, ConsumeResult<string?, byte[]> result, out KafkaMessage<TMessage> message, out Exception error)
    {
        try
        {
            var value = handler.Deserialize(result.Message.Value);
            message = new KafkaMessage<TMessage>(value, result.Message.Key, result.TopicPartitionOffset, result.Message.Headers, result.Message.Timestamp.UtcDateTime);
            error = null!;
            return true;
        }
        catch (Exception exception)
        {
            message = null!;
            error = exception;
            return false;
        }
    }

    private static bool IsShutdown(Exception exception, CancellationToken cancellationToken) =>
        exception is OperationCanceledException && cancellationToken.IsCancellationRequested;

    private ResiliencePipeline CreateRetryPipeline(KafkaMessageHandlerOptions options, TimeProvider timeProvider)
    {
        if (options.MaxRetryAttempts == 0)
        {
            return ResiliencePipeline.Empty;
        }

        return new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                // A handler's own timeout (an OperationCanceledException while not stopping) is transient too.
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } exception && !IsShutdown(exception, args.Context.CancellationToken)),
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                OnRetry = args =>
                {
                    var failure = args.Outcome.Exception!;
                    var result = args.Context.Properties.GetValue(MessageKey, null!);
                    Activity.Current?.AddException(failure);
                    HandlerFailed(_logger, result.Topic, result.Partition.Value, result.Offset.Value, args.AttemptNumber + 1, args.RetryDelay, failure);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    private Activity? StartProcessActivity(ConsumeResult<string?, byte[]> result, ActivityContext parent)
    {
        // A child of the producer's span: one message, one trace, so the waterfall shows the Kafka hop (docs/kafka.md).
        var activity = _tracing
            ? KafkaTelemetry.ActivitySource.StartActivity($"{MessagingAttributes.Process} {result.Topic}", ActivityKind.Consumer, parent)
            : null;
        if (activity is null)
        {
            return null;
        }

        activity.SetTag(MessagingAttributes.System, MessagingAttributes.Kafka)
            .SetTag(MessagingAttributes.OperationType, MessagingAttributes.Process)
            .SetTag(MessagingAttributes.OperationName, MessagingAttributes.Process)
            .SetTag(MessagingAttributes.DestinationName, result.Topic)
            .SetTag(MessagingAttributes.PartitionId, result.Partition.Value.ToString(CultureInfo.InvariantCulture))
            .SetTag(MessagingAttributes.KafkaOffset, result.Offset.Value)
            .SetTag(MessagingAttributes.ConsumerGroupName, _groupId)
            .SetTag(MessagingAttributes.BodySize, result.Message.Value?.Length ?? 0)
            .SetTag(MessagingAttributes.ServerAddress, _server.Host)
            .SetTag(MessagingAttributes.ServerPort, _server.Port);
        if (result.Message.Key is not null)
        {
            activity.SetTag(MessagingAttributes.KafkaMessageKey, result.Message.Key);
        }

        return activity;
    }

    private void RecordConsumed(ConsumeResult<string?, byte[]> result)
    {
        if (_metrics)
        {
            KafkaTelemetry.ConsumedMessages.Add(1, new TagList
            {
                { MessagingAttributes.System, MessagingAttributes.Kafka },
                { MessagingAttributes.OperationName, MessagingAttributes.Process },
                { MessagingAttributes.DestinationName, result.Topic },
                { MessagingAttributes.ConsumerGroupName, _groupId },
            });
        }
    }

    private void RecordDuration(string topic, string? errorType, TimeSpan elapsed)
    {
        if (!_metrics)
        {
            return;
        }

        var tags = new TagList
        {
            { MessagingAttributes.System, MessagingAttributes.Kafka },
            { MessagingAttributes.OperationName, MessagingAttributes.Process },
            { MessagingAttributes.DestinationName, topic },
            { MessagingAttributes.ConsumerGroupName, _groupId },
        };
        if (errorType is not null)
        {
            tags.Add(MessagingAttributes.ErrorType, errorType);
        }

        KafkaTelemetry.ProcessDuration.Record(elapsed.TotalSeconds, tags);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handling {Topic} [{Partition}] @{Offset} failed on attempt {Attempt}; retrying in {Delay}")]
    private static partial void HandlerFailed(ILogger logger, string topic, int partition, long offset, int attempt, TimeSpan delay, Exception exception);
}
