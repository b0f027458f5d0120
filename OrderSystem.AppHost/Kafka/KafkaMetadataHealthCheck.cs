using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrderSystem.AppHost.Kafka;

/// <summary>Healthy when the broker answers a metadata request, the first thing every Kafka client asks.</summary>
public sealed class KafkaMetadataHealthCheck(IResourceWithConnectionString broker) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var bootstrapServers = await broker.ConnectionStringExpression.GetValueAsync(cancellationToken);
        if (string.IsNullOrEmpty(bootstrapServers))
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "the broker's address is not allocated yet");
        }

        // GetMetadata blocks; the health check service runs checks concurrently, so a worker thread is fine here.
        return await Task.Run(() =>
        {
            using var admin = new AdminClientBuilder(new AdminClientConfig
            {
                BootstrapServers = bootstrapServers,
                SocketTimeoutMs = (int)Timeout.TotalMilliseconds,
                LogConnectionClose = false,
            }).SetLogHandler((_, _) => { }).Build();
            try
            {
                var metadata = admin.GetMetadata(Timeout);
                return metadata.Brokers.Count > 0
                    ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} broker(s)")
                    : new HealthCheckResult(context.Registration.FailureStatus, "the cluster reports no broker");
            }
            catch (KafkaException exception)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, exception.Error.Reason, exception);
            }
        }, cancellationToken);
    }
}
