using System.Net.Http;
using System.Runtime.InteropServices;
using OrderSystem.AppHost.Orchestration;
using OrderSystem.AppHost.Publishing;

namespace OrderSystem.AppHost.Hosting;

/// <summary>
/// The built application. <see cref="RunAsync"/> either publishes the deployment manifest
/// (<c>--publisher manifest --output-path DIR</c>, as azd asks an Aspire AppHost) or runs every resource locally until
/// Ctrl-C or SIGTERM, then stops them all.
/// </summary>
public sealed class DistributedApplication
{
    private static readonly TimeSpan DefaultStartupTimeout = TimeSpan.FromMinutes(3);
    private readonly DistributedApplicationBuilder _builder;

    internal DistributedApplication(DistributedApplicationBuilder builder) => _builder = builder;

    public static DistributedApplicationBuilder CreateBuilder(string[] args) => new(args);

    public void Run() => Environment.ExitCode = RunAsync().GetAwaiter().GetResult();

    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        if (ManifestPublisher.TryGetOutputPath(_builder.Args, out var outputPath))
        {
            var written = await ManifestPublisher.WriteAsync(_builder.Resources, outputPath, cancellationToken);
            Console.WriteLine($"wrote {written}");
            return 0;
        }

        var state = _builder.State;
        state.EnsureCreated();
        using var console = new ResourceLog("apphost", state.LogsDirectory, echoToConsole: true);
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => RequestShutdown(context, shutdown));
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => RequestShutdown(context, shutdown));

        try
        {
            using var instanceLock = AcquireInstanceLock(state);
            File.Delete(state.EndpointsFile);
            var programs = new ProgramLocator(_builder.Configuration);
            if (programs.FindMissing() is { Count: > 0 } missing)
            {
                throw new StartupException($"missing programs: {string.Join("; ", missing)}. Run ./run.sh as root to install them.");
            }

            return await RunLocallyAsync(state, programs, console, shutdown.Token);
        }
        catch (StartupException exception)
        {
            console.Write($"error: {exception.Message}");
            return 1;
        }
    }

    private async Task<int> RunLocallyAsync(StateDirectory state, ProgramLocator programs, ResourceLog console, CancellationToken shutdown)
    {
        using var healthClient = new HttpClient();
        var dashboard = _builder.Resources.OfType<DashboardResource>().FirstOrDefault();
        var context = new RunnerContext(state, programs, _builder.Configuration, healthClient, dashboard);
        await using var orchestrator = new ApplicationOrchestrator(_builder.Resources, context, console, TimeProvider.System);
        await using var resourceService = new ResourceServiceApi(orchestrator);
        try
        {
            await orchestrator.ReapOrphansAsync();
            orchestrator.AllocatePorts(_builder.Configuration);
            dashboard?.EnvironmentCallbacks.Add(env => env.Variables["Dashboard__ResourceServiceUrl"] = resourceService.Url);
            await resourceService.StartAsync(shutdown);

            var timeout = TimeSpan.TryParse(_builder.Configuration["AppHost:StartupTimeout"], System.Globalization.CultureInfo.InvariantCulture, out var configured) ? configured : DefaultStartupTimeout;
            await orchestrator.StartAllAsync(timeout, shutdown);

            await EndpointsFile.WriteAsync(state.EndpointsFile, _builder.Resources, orchestrator, resourceService.Url, shutdown);
            Console.WriteLine();
            Console.Write(ResourceTable.Render(orchestrator.Runtimes));
            Console.WriteLine();
            if (dashboard is not null)
            {
                Console.WriteLine($"Dashboard:  {dashboard.GetEndpoint("http").Url}");
            }

            Console.WriteLine($"Endpoints:  {state.EndpointsFile} (gateway URL, API key, connection strings)");
            Console.WriteLine("Press Ctrl-C to stop everything.");
            await Task.Delay(Timeout.Infinite, shutdown).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return 0;
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            return 0;
        }
        catch (StartupException exception)
        {
            // Reported before the other resources are stopped, so it is the line a person sees first.
            console.Write($"error: {exception.Message}");
            return 1;
        }
        finally
        {
            console.Write("stopping");
            await orchestrator.StopAllAsync();
            File.Delete(state.EndpointsFile);
            console.Write("stopped");
        }
    }

    private static void RequestShutdown(PosixSignalContext context, CancellationTokenSource shutdown)
    {
        // Handled here: the AppHost stops its resources in order before it exits.
        context.Cancel = true;
        shutdown.Cancel();
    }

    /// <summary>One AppHost per state folder: the lock is released by the kernel even if the AppHost is killed.</summary>
    private static FileStream AcquireInstanceLock(StateDirectory state)
    {
        try
        {
            return new FileStream(state.LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new StartupException($"another AppHost is running with state folder {state.Root}: stop it first, or set {StateDirectory.EnvironmentVariable} to another folder");
        }
    }
}
