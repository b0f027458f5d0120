using System.Globalization;
using OrderSystem.AppHost.Hosting;

namespace OrderSystem.AppHost.Orchestration;

/// <summary><c>redis-server</c> on loopback with a password, as a cache: nothing persisted.</summary>
public sealed class RedisRunner(RunnerContext context) : ResourceRunner(context)
{
    public override ProcessSpec CreateProcessSpec(ResourceRuntime runtime)
    {
        var redis = (RedisResource)runtime.Resource;
        var directory = Context.State.ResourceDirectory(redis.Name);
        return new ProcessSpec(
            ProgramLocator.FindOnPath("redis-server")!,
            [
                "--port", redis.PrimaryEndpoint.AllocatedPort.ToString(CultureInfo.InvariantCulture),
                "--bind", EndpointAnnotation.Loopback,
                "--requirepass", redis.Password.Value,
                "--save", string.Empty,
                "--appendonly", "no",
                "--dir", directory,
                "--daemonize", "no",
            ],
            directory,
            new Dictionary<string, string>());
    }

    public override Task<bool> CheckHealthAsync(ResourceRuntime runtime, CancellationToken cancellationToken) =>
        IsListeningAsync(runtime.Resource, cancellationToken);
}
