using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderSystem.Diagnostics.Query;

namespace OrderSystem.Diagnostics.Resources;

/// <summary>
/// Reads the AppHost's resource API. The dashboard also runs without an AppHost (tests, another orchestrator), so
/// an unset, unreachable or failing API yields an empty list and no console log, never an error page.
/// </summary>
public sealed partial class ResourceServiceClient(HttpClient httpClient, IOptions<DiagnosticsOptions> options, ILogger<ResourceServiceClient> logger)
{
    private readonly Uri? _baseAddress = options.Value.ResourceServiceUrl;

    public async Task<IReadOnlyList<AppHostResource>> GetResourcesAsync(CancellationToken cancellationToken)
    {
        if (_baseAddress is null)
        {
            return [];
        }

        try
        {
            var resources = await httpClient.GetFromJsonAsync(new Uri(_baseAddress, "/api/resources"), DiagnosticsJsonContext.Default.IReadOnlyListAppHostResource, cancellationToken).ConfigureAwait(false);
            return resources ?? [];
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogUnavailable(_baseAddress, exception.Message);
            return [];
        }
    }

    /// <summary>The last <paramref name="tail"/> console lines of a resource, or null when they cannot be had.</summary>
    public async Task<string?> GetConsoleLogAsync(string name, int tail, CancellationToken cancellationToken)
    {
        if (_baseAddress is null)
        {
            return null;
        }

        var address = new Uri(_baseAddress, $"/api/resources/{Uri.EscapeDataString(name)}/logs?tail={tail}");
        try
        {
            using var response = await httpClient.GetAsync(address, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false) : null;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogUnavailable(_baseAddress, exception.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The AppHost resource API at {Address} is not available: {Reason}")]
    private partial void LogUnavailable(Uri address, string reason);
}
