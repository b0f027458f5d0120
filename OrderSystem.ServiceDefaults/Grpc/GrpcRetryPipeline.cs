using Polly;
using Polly.Retry;

namespace OrderSystem.ServiceDefaults.Grpc;

/// <summary>
/// Retries a call only when it ended UNAVAILABLE: the server refused it before processing, or the transport failed
/// (GrpcChannel reports connection failures as UNAVAILABLE). Every other status is the answer. The backoff waits on
/// the call's token, so the deadline ends the retries too. The services' write methods are idempotent
/// (idempotency_key, order_id), which makes a retry after a lost response safe.
/// </summary>
public static class GrpcRetryPipeline
{
    public static ResiliencePipeline Create(GrpcRetryOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxRetryAttempts <= 0)
        {
            return ResiliencePipeline.Empty;
        }

        return new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<RpcException>(exception => exception.StatusCode == StatusCode.Unavailable),
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
            })
            .Build();
    }
}
