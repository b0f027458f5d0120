namespace OrderSystem.LoadGenerator.Gateway;

/// <summary>What one request to the Gateway came to: the response, or why there was none.</summary>
/// <param name="StatusCode">Null when no response arrived (<paramref name="Failure"/> says why).</param>
/// <param name="Latency">From the request's start (its intended start for the first request of a scenario) to the end of the body.</param>
/// <param name="TraceId">From the <c>traceresponse</c> header, to open the request in the dashboard.</param>
/// <param name="IsError">Neither 2xx nor a status the request expected.</param>
/// <param name="RetryAfter">The <c>Retry-After</c> of a 429 or 503.</param>
public sealed record GatewayResponse(
    string Endpoint,
    int? StatusCode,
    TransportFailure Failure,
    TimeSpan Latency,
    string? TraceId,
    bool IsError,
    TimeSpan? RetryAfter,
    byte[] Body)
{
    /// <summary>What the error breakdown groups by: the status code, or the kind of transport failure.</summary>
    public string OutcomeKey => StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Failure switch
    {
        TransportFailure.Timeout => "timeout",
        _ => "connection_error",
    };
}

public enum TransportFailure
{
    None,

    /// <summary>No response within the request timeout.</summary>
    Timeout,

    /// <summary>The connection could not be made or broke.</summary>
    Connection,
}
