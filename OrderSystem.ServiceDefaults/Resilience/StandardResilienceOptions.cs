namespace OrderSystem.ServiceDefaults.Resilience;

/// <summary>
/// The standard pipeline's settings, bound from configuration section <c>Resilience:Http</c>; defaults follow
/// Microsoft.Extensions.Http.Resilience's standard handler.
/// </summary>
public sealed class StandardResilienceOptions
{
    public const string SectionName = "Resilience:Http";

    public TimeSpan TotalRequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public int MaxRetryAttempts { get; set; } = 3;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;
    public int CircuitBreakerMinimumThroughput { get; set; } = 20;
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}
