using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrderSystem.ServiceDefaults.Kafka;

/// <summary>
/// Readiness: a broker answers a metadata request within <see cref="Timeout"/>. Asks through an admin client that
/// shares the registered client's connections, so a check opens no new connection.
/// </summary>
internal sealed class KafkaHealthCheck(IClient client) : IHealthCheck
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // GetMetadata blocks for up to the timeout; keep it off the caller's thread.
            var brokers = await Task.Run(
                () =>
                {
                    using var admin = new DependentAdminClientBuilder(client.Handle).Build();
                    return admin.GetMetadata(Timeout).Brokers.Count;
                },
                cancellationToken);
            return brokers > 0
                ? HealthCheckResult.Healthy($"{brokers} broker(s)")
                : new HealthCheckResult(context.Registration.FailureStatus, "Kafka answered with no brokers");
        }
        catch (KafkaException exception)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Kafka is unreachable: {exception.Error.Reason}", exception);
        }
    }
}
