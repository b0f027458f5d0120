using System.Net.Http.Json;
using System.Text.Json;

namespace OrderSystem.Tests.Infrastructure;

/// <summary>
/// The whole topology, started the way a person starts it (the AppHost as a child process, its own state folder)
/// and handed to tests by resource name, like Aspire.Hosting.Testing's DistributedApplication.
/// </summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(4);

    private readonly HttpClient _appHostClient;

    private DistributedApplication(ChildProcess appHost, string stateDirectory, SystemEndpoints endpoints)
    {
        AppHost = appHost;
        StateDirectory = stateDirectory;
        Endpoints = endpoints;
        _appHostClient = new HttpClient { BaseAddress = endpoints.AppHost, Timeout = TimeSpan.FromSeconds(90) };
    }

    public ChildProcess AppHost { get; }

    public string StateDirectory { get; }

    public SystemEndpoints Endpoints { get; }

    /// <summary>Starts the AppHost and returns once it reports every resource healthy (it writes endpoints.json then).</summary>
    public static async Task<DistributedApplication> StartAsync(string stateDirectory, CancellationToken cancellationToken = default)
    {
        var appHost = LaunchAppHost(stateDirectory);
        var endpointsFile = Path.Combine(stateDirectory, "endpoints.json");
        try
        {
            // After a crash the state folder still holds the crashed run's file: only this AppHost's counts.
            await Eventually.WaitUntilAsync(
                () => appHost.Exited.IsCompleted
                    ? throw new InvalidOperationException($"the AppHost exited with code {appHost.Exited.Result}:{Environment.NewLine}{Tail(appHost)}")
                    : Task.FromResult(File.Exists(endpointsFile) && SystemEndpoints.Load(endpointsFile).Pid == appHost.Pid),
                StartupTimeout,
                "every resource to be healthy");
        }
        catch (TimeoutException exception)
        {
            await appHost.DisposeAsync();
            throw new TimeoutException($"{exception.Message}{Environment.NewLine}{Tail(appHost)}", exception);
        }

        return new DistributedApplication(appHost, stateDirectory, SystemEndpoints.Load(endpointsFile));
    }

    public static ChildProcess LaunchAppHost(string stateDirectory, IReadOnlyDictionary<string, string?>? environment = null, params string[] arguments)
    {
        var variables = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>())
        {
            ["ORDERSYSTEM_STATE_DIR"] = stateDirectory,
        };
        return ChildProcess.Start(TestRepository.DotnetHost, [TestRepository.AppHostAssembly, .. arguments], variables);
    }

    public HttpClient CreateHttpClient(string resource, string endpoint = "http") =>
        new() { BaseAddress = Endpoints.GetEndpoint(resource, endpoint), Timeout = TimeSpan.FromSeconds(30) };

    public string GetConnectionString(string resource) => Endpoints.GetConnectionString(resource);

    public async Task<IReadOnlyList<JsonElement>> GetResourcesAsync(CancellationToken cancellationToken = default) =>
        (await _appHostClient.GetFromJsonAsync<JsonElement[]>("api/resources", cancellationToken))!;

    public Task StopResourceAsync(string resource, CancellationToken cancellationToken = default) => CommandAsync(resource, "stop", cancellationToken);

    public Task StartResourceAsync(string resource, CancellationToken cancellationToken = default) => CommandAsync(resource, "start", cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _appHostClient.Dispose();
        await AppHost.DisposeAsync();
        Directory.Delete(StateDirectory, recursive: true);
    }

    private async Task CommandAsync(string resource, string command, CancellationToken cancellationToken)
    {
        using var response = await _appHostClient.PostAsync($"api/resources/{resource}/{command}", content: null, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private static string Tail(ChildProcess process) => string.Join(Environment.NewLine, process.Output.TakeLast(40));
}

/// <summary>One topology shared by the tests of the "topology" collection: starting it takes a while.</summary>
public sealed class TopologyFixture : IAsyncLifetime
{
    private DistributedApplication? _application;

    public DistributedApplication Application => _application ?? throw new InvalidOperationException("the topology is not started");

    public async ValueTask InitializeAsync() =>
        _application = await DistributedApplication.StartAsync(TestRepository.CreateStateDirectory("topology"));

    public async ValueTask DisposeAsync()
    {
        if (_application is not null)
        {
            await _application.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TopologyCollection : ICollectionFixture<TopologyFixture>
{
    public const string Name = "topology";
}
