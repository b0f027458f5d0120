using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrderSystem.AppHost.Faults;

/// <summary>A fault's switch as the diagnostics service's <c>GET /api/faults</c> and <c>PUT /api/faults/{name}</c> answer it.</summary>
public sealed record FaultSwitch(string Name, bool Enabled);

/// <summary>
/// The diagnostics service's fault API, called by the fault commands and the state watcher, so that switching a fault
/// (and its side effects) stays in one place for the Aspire dashboard, scripts and tests. It sends the
/// <c>diagnostics-token</c> parameter as a bearer token, as scripts do.
/// </summary>
public sealed class FaultSwitchClient(IHttpClientFactory httpClientFactory, EndpointReference endpoint, ParameterResource token)
{
    // Switching a fault only writes it to Redis; the service acts on it afterwards.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The resource that serves the API.</summary>
    public string ResourceName => endpoint.Resource.Name;

    /// <summary>Every known fault's switch.</summary>
    public async Task<IReadOnlyList<FaultSwitch>> GetAllAsync(CancellationToken cancellationToken)
    {
        using var request = await CreateRequestAsync(HttpMethod.Get, "/api/faults", cancellationToken);
        return await SendAsync<FaultSwitch[]>(request, cancellationToken);
    }

    /// <summary>Switches a fault on or off with its default parameters, and returns its switch as the API stored it.</summary>
    public async Task<FaultSwitch> SetAsync(string fault, bool enabled, CancellationToken cancellationToken)
    {
        using var request = await CreateRequestAsync(HttpMethod.Put, $"/api/faults/{Uri.EscapeDataString(fault)}", cancellationToken);
        request.Content = JsonContent.Create(new { enabled });
        return await SendAsync<FaultSwitch>(request, cancellationToken);
    }

    /// <summary>Whether a call failed because the API did not answer as it should, rather than because it was cancelled.</summary>
    public static bool IsUnanswered(Exception exception, CancellationToken cancellationToken) =>
        exception is HttpRequestException or JsonException
        || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private async Task<HttpRequestMessage> CreateRequestAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        if (!endpoint.IsAllocated)
        {
            throw new HttpRequestException($"{ResourceName} has no address yet.");
        }

        var request = new HttpRequestMessage(method, new Uri(new Uri(endpoint.Url), path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await token.GetValueAsync(cancellationToken));
        return request;
    }

    private async Task<T> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var http = httpClientFactory.CreateClient();
        http.Timeout = RequestTimeout;
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"{request.Method} {request.RequestUri?.AbsolutePath} on {ResourceName}: {(int)response.StatusCode} {await ProblemDetailAsync(response, cancellationToken)}",
                inner: null,
                response.StatusCode);
        }

        return await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web, cancellationToken)
            ?? throw new HttpRequestException($"{request.Method} {request.RequestUri?.AbsolutePath} on {ResourceName} answered an empty body.");
    }

    /// <summary>The API answers errors as problem+json; its <c>detail</c> says what to do.</summary>
    private static async Task<string> ProblemDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() ?? body : body;
        }
        catch (JsonException)
        {
            return body;
        }
    }
}
