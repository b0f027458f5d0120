namespace OrderSystem.ServiceDefaults.GrpcServices;

/// <summary>Retry settings of gRPC clients, bound from configuration section <c>Resilience:Grpc</c>.</summary>
public sealed class GrpcRetryOptions
{
    public const string SectionName = "Resilience:Grpc";

    /// <summary>Attempts after the first; 0 turns retries off.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first backoff; later ones double up to <see cref="RetryMaxDelay"/>, each randomised below its bound.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);
}
