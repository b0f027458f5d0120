using System.Globalization;
using System.Text.RegularExpressions;
using OrderSystem.AppHost.Hosting;

namespace OrderSystem.AppHost.Orchestration;

/// <summary>
/// The OrderSystem.KafkaBroker process (librdkafka's mock cluster). The mock cluster picks its own free port and
/// prints it, so the endpoint's port is learnt from the process output rather than allocated.
/// </summary>
public sealed partial class KafkaRunner(RunnerContext context) : ResourceRunner(context)
{
    private TaskCompletionSource<int>? _port;

    public override ProcessSpec CreateProcessSpec(ResourceRuntime runtime)
    {
        var kafka = (KafkaServerResource)runtime.Resource;
        _port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var port = _port;
        runtime.Log.LineWritten += line =>
        {
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                port.TrySetResult(int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture));
            }
        };
        // References (the fault switches' cache) reach the local broker only: the published Kafka image takes none.
        var environment = new EnvironmentContext(kafka);
        foreach (var callback in kafka.EnvironmentCallbacks)
        {
            callback(environment);
        }

        return new ProcessSpec(Context.Programs.DotnetHost, [kafka.BrokerHost.TargetPath], Path.GetDirectoryName(kafka.BrokerHost.ProjectPath)!, environment.Variables);
    }

    public override async Task OnStartedAsync(ResourceRuntime runtime, CancellationToken cancellationToken)
    {
        var exited = runtime.Process!.Exited;
        var reported = await Task.WhenAny(_port!.Task, exited).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        if (reported == exited)
        {
            throw new InvalidOperationException($"the Kafka broker exited with code {exited.Result} before reporting its port");
        }

        runtime.Resource.GetEndpoint("tcp").Port = _port.Task.Result;
    }

    public override Task<bool> CheckHealthAsync(ResourceRuntime runtime, CancellationToken cancellationToken) =>
        IsListeningAsync(runtime.Resource, cancellationToken);

    [GeneratedRegex(@"Kafka broker listening on [^:\s]+:(?<port>\d+)")]
    private static partial Regex ListeningLine();
}
