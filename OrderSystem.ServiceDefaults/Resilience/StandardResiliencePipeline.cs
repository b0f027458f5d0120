using System.Net;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace OrderSystem.ServiceDefaults.Resilience;

/// <summary>
/// Total timeout, then retry with exponential backoff and jitter for transient failures only, then a circuit
/// breaker, then a per-attempt timeout: the order Microsoft.Extensions.Http.Resilience's standard handler uses.
/// </summary>
public static class StandardResiliencePipeline
{
    /// <summary>Set on a call's context (from <see cref="ResilienceRequestOptions.RetriesDisabled"/>) to send it once.</summary>
    public static readonly ResiliencePropertyKey<bool> RetriesDisabled = new("OrderSystem.Resilience.RetriesDisabled");

    public static ResiliencePipeline<HttpResponseMessage> Create(StandardResilienceOptions options, TimeProvider timeProvider)
    {
        var transient = new PredicateBuilder<HttpResponseMessage>()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>()
            .HandleResult(IsTransient);
        Func<RetryPredicateArguments<HttpResponseMessage>, ValueTask<bool>> retryTransient = transient;

        return new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider }
            .AddTimeout(options.TotalRequestTimeout)
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => args.Context.Properties.GetValue(RetriesDisabled, false) ? PredicateResult.False() : retryTransient(args),
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = transient,
                FailureRatio = options.CircuitBreakerFailureRatio,
                MinimumThroughput = options.CircuitBreakerMinimumThroughput,
                SamplingDuration = options.CircuitBreakerSamplingDuration,
                BreakDuration = options.CircuitBreakerBreakDuration,
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    /// <summary>5xx, 408 and 429 are worth another attempt; every other status is the answer.</summary>
    public static bool IsTransient(HttpResponseMessage response) =>
        (int)response.StatusCode >= 500
        || response.StatusCode == HttpStatusCode.RequestTimeout
        || response.StatusCode == HttpStatusCode.TooManyRequests;
}
