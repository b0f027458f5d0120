using System.Net.Http.Headers;

namespace OrderSystem.LoadGenerator.Gateway;

/// <summary>
/// Sends <see cref="GatewayRequest"/>s to the one configured Gateway and measures them. Redirects are never followed
/// (a 3xx is an outcome like any other), so no request leaves the Gateway's origin; the API key goes only there.
/// </summary>
public sealed class GatewayClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly TimeProvider _timeProvider;

    public GatewayClient(Uri baseAddress, string apiKey, TimeSpan requestTimeout, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = requestTimeout,
            // Picks up a Gateway restarted on the same address, as long-running clients should.
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        };
        _http = new HttpClient(handler)
        {
            BaseAddress = EndWithSlash(baseAddress),
            Timeout = requestTimeout,
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("OrderSystem.LoadGenerator", "1.0"));
    }

    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>
    /// Sends the request and reads the whole body. Latency is measured from <paramref name="startTimestamp"/> (a
    /// <see cref="TimeProvider.GetTimestamp"/>), which may lie before now: the open model passes the intended send time.
    /// Only cancellation of <paramref name="cancellationToken"/> throws; every other failure is a response.
    /// </summary>
    public async Task<GatewayResponse> SendAsync(GatewayRequest request, long startTimestamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var message = new HttpRequestMessage(request.Method, request.RelativeUri);
        if (request.JsonBody is { } body)
        {
            message.Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        }

        if (request.IdempotencyKey is { } key)
        {
            message.Headers.Add(GatewayRoutes.IdempotencyKeyHeader, key);
        }

        try
        {
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            var content = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var statusCode = (int)response.StatusCode;
            return new GatewayResponse(
                request.Endpoint,
                statusCode,
                TransportFailure.None,
                _timeProvider.GetElapsedTime(startTimestamp),
                TraceIdOf(response),
                !request.IsExpected(statusCode),
                RetryAfterOf(response.Headers.RetryAfter),
                content);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed(request, TransportFailure.Timeout, startTimestamp);
        }
        catch (HttpRequestException)
        {
            return Failed(request, TransportFailure.Connection, startTimestamp);
        }
    }

    public void Dispose() => _http.Dispose();

    private GatewayResponse Failed(GatewayRequest request, TransportFailure failure, long startTimestamp) =>
        new(request.Endpoint, null, failure, _timeProvider.GetElapsedTime(startTimestamp), null, true, null, []);

    private static string? TraceIdOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues(TraceResponseHeader.Name, out var values)
            ? TraceResponseHeader.ParseTraceId(values.FirstOrDefault())
            : null;

    private TimeSpan? RetryAfterOf(RetryConditionHeaderValue? retryAfter) => retryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _timeProvider.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private static Uri EndWithSlash(Uri uri) =>
        uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri.GetLeftPart(UriPartial.Path) + "/");
}
