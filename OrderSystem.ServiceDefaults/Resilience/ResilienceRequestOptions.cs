namespace OrderSystem.ServiceDefaults.Resilience;

/// <summary>Per-request choices the standard pipeline (<see cref="ResilienceHandler"/>) honours.</summary>
public static class ResilienceRequestOptions
{
    /// <summary>When true, the request is sent once: the pipeline's timeouts and circuit breaker still apply, its retries do not.</summary>
    public static readonly HttpRequestOptionsKey<bool> RetriesDisabled = new("OrderSystem.Resilience.RetriesDisabled");

    /// <summary>Sends <paramref name="request"/> without the standard pipeline's retries (see <see cref="RetriesDisabled"/>).</summary>
    public static HttpRequestMessage DisableRetries(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.Set(RetriesDisabled, true);
        return request;
    }
}
