using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrderSystem.ServiceDefaults.Redis;

/// <summary>Readiness: Redis answers PING (within the registration's timeout, which cancels the token).</summary>
public sealed class RedisHealthCheck(RedisClient client) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var roundTrip = await client.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy($"PING answered in {roundTrip.TotalMilliseconds:F1} ms");
        }
        catch (Exception exception) when (exception is RedisException or OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Redis at {client.Options.EndPoint} is unreachable: {exception.Message}", exception);
        }
    }
}
