using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace OrderSystem.Tests.Infrastructure;

/// <summary>
/// The whole system, started from the AppHost through Aspire.Hosting.Testing with its own state folder, and handed to
/// tests by resource name.
/// </summary>
public sealed class Topology : IAsyncDisposable
{
    /// <summary>The five services of the order path, as the AppHost names their resources and they name themselves in telemetry.</summary>
    public static readonly IReadOnlyList<string> Services = ["gateway", "orders", "inventory", "payments", "notifications"];

    /// <summary>PostgreSQL's first start runs initdb; every project builds nothing (the tests' build did) but starts cold.</summary>
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(4);

    /// <summary>
    /// Payments retries the payment provider on this fixed beat, without jitter (the standard handler's default is
    /// exponential from 2 s with jitter): the pool-reset scenario then knows which attempts of a call meet a reset window.
    /// </summary>
    public static readonly TimeSpan ProviderRetryDelay = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// Orders' lease on a PENDING order (Orders:PendingTimeout, 60 s by default) and its recovery beat (10 s): shorter
    /// here, still longer than any one step, so a saga whose process was killed is finished within a test's deadline.
    /// </summary>
    public static readonly TimeSpan OrdersPendingTimeout = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan OrdersRecoveryInterval = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(1);

    private const int StartAttempts = 3;

    /// <summary>The snapshot property with an executable's (or project's) process id (Aspire's KnownProperties.Executable.Pid, internal).</summary>
    private const string PidProperty = "executable.pid";

    private readonly Dictionary<string, string> _connectionStrings;

    private Topology(DistributedApplication app, string stateDirectory, string apiKey, string diagnosticsToken, string otlpApiKey, Dictionary<string, string> connectionStrings)
    {
        App = app;
        StateDirectory = stateDirectory;
        ApiKey = apiKey;
        DiagnosticsToken = diagnosticsToken;
        OtlpApiKey = otlpApiKey;
        _connectionStrings = connectionStrings;
    }

    public DistributedApplication App { get; }

    public string StateDirectory { get; }

    /// <summary>The Gateway's API key: the AppHost's generated <c>gateway-api-key</c> parameter.</summary>
    public string ApiKey { get; }

    /// <summary>The diagnostics UI's and API's token: the AppHost's generated <c>diagnostics-token</c> parameter.</summary>
    public string DiagnosticsToken { get; }

    /// <summary>The <c>x-otlp-api-key</c> the services send and the diagnostics receiver requires.</summary>
    public string OtlpApiKey { get; }

    /// <summary>The diagnostics UI's login URL, as the Aspire dashboard and endpoints.json give it.</summary>
    public Uri DiagnosticsLoginUrl => new(GetEndpoint("diagnostics"), $"login?t={Uri.EscapeDataString(DiagnosticsToken)}");

    public ResourceNotificationService Notifications => App.ResourceNotifications;

    /// <summary>Builds and starts the AppHost, and returns once the Gateway (which waits for everything else) is healthy.</summary>
    public static async Task<Topology> StartAsync(string stateDirectory, CancellationToken cancellationToken = default)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.OrderSystem_AppHost>(
            [$"ORDERSYSTEM_STATE_DIR={stateDirectory}"], cancellationToken);
        builder.CreateResourceBuilder<ProjectResource>("payments")
            .WithEnvironment("Resilience__Http__Retry__BackoffType", "Constant")
            .WithEnvironment("Resilience__Http__Retry__UseJitter", "false")
            .WithEnvironment("Resilience__Http__Retry__Delay", ProviderRetryDelay.ToString("c"));
        builder.CreateResourceBuilder<ProjectResource>("orders")
            .WithEnvironment("Orders__PendingTimeout", OrdersPendingTimeout.ToString("c"))
            .WithEnvironment("Orders__RecoveryInterval", OrdersRecoveryInterval.ToString("c"));
        var app = await builder.BuildAsync(cancellationToken);
        try
        {
            using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            startup.CancelAfter(StartupTimeout);
            await app.StartAsync(startup.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", startup.Token);

            var model = app.Services.GetRequiredService<DistributedApplicationModel>();
            var apiKey = await ParameterValueAsync(model, "gateway-api-key", startup.Token);
            var diagnosticsToken = await ParameterValueAsync(model, "diagnostics-token", startup.Token);
            var otlpApiKey = await ParameterValueAsync(model, "diagnostics-otlp-api-key", startup.Token);
            var connectionStrings = new Dictionary<string, string>();
            foreach (var resource in model.Resources.OfType<IResourceWithConnectionString>())
            {
                connectionStrings[resource.Name] = await resource.GetConnectionStringAsync(startup.Token)
                    ?? throw new InvalidOperationException($"{resource.Name} has no connection string");
            }

            return new Topology(app, stateDirectory, apiKey, diagnosticsToken, otlpApiKey, connectionStrings);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public HttpClient CreateHttpClient(string resource, string endpoint = "http")
    {
        var client = App.CreateHttpClient(resource, endpoint);
        client.Timeout = TimeSpan.FromSeconds(30);
        return client;
    }

    /// <summary>A client of the diagnostics API, with the token as a bearer.</summary>
    public HttpClient CreateDiagnosticsClient()
    {
        var client = CreateHttpClient("diagnostics");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DiagnosticsToken);
        return client;
    }

    public Uri GetEndpoint(string resource, string endpoint = "http") => App.GetEndpoint(resource, endpoint);

    public string GetConnectionString(string resource) =>
        _connectionStrings.TryGetValue(resource, out var connectionString)
            ? connectionString
            : throw new KeyNotFoundException($"no resource '{resource}' with a connection string");

    /// <summary>Stops a resource as the dashboard's Stop action does, and waits until it has.</summary>
    public async Task StopResourceAsync(string resource, CancellationToken cancellationToken = default)
    {
        await ExecuteAsync(resource, KnownResourceCommands.StopCommand, cancellationToken);
        await Notifications.WaitForResourceAsync(resource, KnownResourceStates.TerminalStates, cancellationToken).WaitAsync(CommandTimeout, cancellationToken);
    }

    /// <summary>
    /// Starts a stopped resource again, and waits until it is healthy. DCP now and then reports a start that follows an
    /// exit closely as FailedToStart without running anything (Aspire quarantines its own test of this,
    /// microsoft/aspire#15777); a person would press Start again, and so does this, a bounded number of times.
    /// </summary>
    public async Task StartResourceAsync(string resource, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            await ExecuteAsync(resource, KnownResourceCommands.StartCommand, cancellationToken);
            try
            {
                await Notifications.WaitForResourceHealthyAsync(resource, cancellationToken).WaitAsync(CommandTimeout, cancellationToken);
                return;
            }
            catch (DistributedApplicationException) when (attempt < StartAttempts
                && Notifications.TryGetCurrentState(resource, out var current)
                && current.Snapshot.State?.Text == KnownResourceStates.FailedToStart)
            {
            }
        }
    }

    /// <summary>
    /// Kills a running project as <c>kill -9</c> does (SIGKILL on Linux: no shutdown, no cleanup), and waits until the
    /// AppHost sees it gone; <see cref="StartResourceAsync"/> brings it back. The resource's process id is the one the
    /// AppHost started, which for a project is <c>dotnet run</c> with the service as its child: the whole tree is killed.
    /// </summary>
    public async Task KillResourceAsync(string resource, CancellationToken cancellationToken = default)
    {
        using (var process = Process.GetProcessById(ProcessIdOf(resource)))
        {
            process.Kill(entireProcessTree: true);
        }

        await Notifications.WaitForResourceAsync(resource, KnownResourceStates.TerminalStates, cancellationToken).WaitAsync(CommandTimeout, cancellationToken);
    }

    /// <summary>The id of the process the AppHost started for a running resource (for a project, <c>dotnet run</c>).</summary>
    public int ProcessIdOf(string resource) =>
        Notifications.TryGetCurrentState(resource, out var current)
            && current.Snapshot.Properties.FirstOrDefault(p => p.Name == PidProperty)?.Value is { } pid
            ? Convert.ToInt32(pid, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"{resource} has no process id: is it running?");

    private static async Task<string> ParameterValueAsync(DistributedApplicationModel model, string name, CancellationToken cancellationToken) =>
        await model.Resources.OfType<ParameterResource>().Single(p => p.Name == name).GetValueAsync(cancellationToken)
            ?? throw new InvalidOperationException($"parameter {name} has no value");

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        Directory.Delete(StateDirectory, recursive: true);
    }

    private async Task ExecuteAsync(string resource, string command, CancellationToken cancellationToken)
    {
        var result = await App.ResourceCommands.ExecuteCommandAsync(resource, command, cancellationToken);
        if (!result.Success)
        {
            throw new InvalidOperationException($"{command} of {resource} failed: {result.Message}");
        }
    }
}

/// <summary>One topology shared by the tests of the "topology" collection: starting it takes a while.</summary>
public sealed class TopologyFixture : IAsyncLifetime
{
    private Topology? _topology;

    public Topology Topology => _topology ?? throw new InvalidOperationException("the topology is not started");

    public async ValueTask InitializeAsync()
    {
        _topology = await Topology.StartAsync(TestRepository.CreateStateDirectory("topology"), TestContext.Current.CancellationToken);
        using var orders = new TopologyOrders(_topology);
        await orders.WarmUpAsync(Topology.StartupTimeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (_topology is not null)
        {
            await _topology.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TopologyCollection : ICollectionFixture<TopologyFixture>
{
    public const string Name = "topology";
}
