using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrderSystem.AppHost.Orchestration;

/// <summary>
/// The AppHost's resource service on loopback: the dashboard reads resources and console logs from it, and people and
/// tests stop, start and restart a resource with it (like the Aspire dashboard's resource commands).
/// </summary>
public sealed class ResourceServiceApi(ApplicationOrchestrator orchestrator) : IAsyncDisposable
{
    private WebApplication? _app;

    public string Url { get; } = $"http://{Hosting.EndpointAnnotation.Loopback}:{PortAllocator.AllocateFreePort()}";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(Url);
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase);
        var app = builder.Build();

        var api = app.MapGroup("/api/resources");
        api.MapGet("/", () => orchestrator.Runtimes.Select(ResourceSnapshot.From));
        api.MapGet("/{name}", (string name) => orchestrator.Find(name) is { } runtime ? Results.Ok(ResourceSnapshot.From(runtime)) : NotFound(name));
        api.MapGet("/{name}/logs", (string name, int? tail) => orchestrator.Find(name) is { } runtime
            ? Results.Text(string.Join('\n', runtime.Log.Tail(Math.Clamp(tail ?? 500, 1, 1000))), "text/plain; charset=utf-8")
            : NotFound(name));
        api.MapPost("/{name}/stop", async (string name) => orchestrator.Find(name) is { } runtime
            ? await RunCommandAsync(runtime, () => orchestrator.StopResourceAsync(runtime))
            : NotFound(name));
        api.MapPost("/{name}/start", async (string name) => orchestrator.Find(name) is { } runtime
            ? await RunCommandAsync(runtime, () => StartResourceAsync(runtime))
            : NotFound(name));
        api.MapPost("/{name}/restart", async (string name) => orchestrator.Find(name) is { } runtime
            ? await RunCommandAsync(runtime, async () =>
            {
                await orchestrator.StopResourceAsync(runtime);
                await StartResourceAsync(runtime);
            })
            : NotFound(name));

        await app.StartAsync(cancellationToken);
        _app = app;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task StartResourceAsync(ResourceRuntime runtime)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await orchestrator.StartResourceAsync(runtime, timeout.Token);
    }

    private static async Task<IResult> RunCommandAsync(ResourceRuntime runtime, Func<Task> command)
    {
        try
        {
            await command();
            return Results.Ok(ResourceSnapshot.From(runtime));
        }
        catch (Exception exception) when (exception is StartupException or OperationCanceledException)
        {
            return Results.Problem(exception.Message, statusCode: StatusCodes.Status409Conflict, title: $"'{runtime.Resource.Name}' did not start");
        }
    }

    private static IResult NotFound(string name) =>
        Results.Problem($"there is no resource named '{name}'", statusCode: StatusCodes.Status404NotFound, title: "Unknown resource");
}
