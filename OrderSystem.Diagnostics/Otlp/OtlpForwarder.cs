using System.Net.Http.Headers;
using System.Threading.Channels;
using Google.Protobuf;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrderSystem.Diagnostics.Otlp;

/// <summary>
/// Relays every received export, as OTLP/HTTP protobuf, to <c>Diagnostics:Forward:Endpoint</c> so the same topology
/// can also feed Jaeger, Tempo or a collector. Sending is decoupled from receiving by a bounded queue: when the
/// upstream is slow or down, exports are dropped and counted, and the receiver never waits. One request is sent at a
/// time, so each signal arrives in order; what queued up meanwhile goes in the next request, one per signal
/// (<see cref="OtlpExportBatch"/>), so an upstream that answers slowly (the Aspire dashboard on a busy machine) is sent
/// fewer, larger requests instead of falling behind.
/// </summary>
public sealed partial class OtlpForwarder : BackgroundService
{
    public const string HttpClientName = "otlp-forward";

    private readonly Uri? _endpoint;
    private readonly int _maxBatchBytes;
    private readonly Channel<(OtlpSignal Signal, byte[] Body)> _queue;
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly ReceiverStatistics _statistics;
    private readonly ILogger<OtlpForwarder> _logger;

    public OtlpForwarder(IOptions<DiagnosticsOptions> options, IHttpClientFactory httpClientFactory, ReceiverStatistics statistics, ILogger<OtlpForwarder> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        // The signal paths are appended to the endpoint's own path, as OTEL_EXPORTER_OTLP_ENDPOINT does.
        var endpoint = options.Value.Forward.Endpoint;
        _endpoint = endpoint is null || endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        _maxBatchBytes = options.Value.Forward.MaxBatchBytes;
        _queue = Channel.CreateBounded<(OtlpSignal, byte[])>(new BoundedChannelOptions(options.Value.Forward.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _httpClientFactory = httpClientFactory;
        _statistics = statistics;
        _logger = logger;
    }

    public bool IsEnabled => _endpoint is not null;

    public void Forward(OtlpSignal signal, IMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsEnabled)
        {
            return;
        }

        if (!_queue.Writer.TryWrite((signal, request.ToByteArray())))
        {
            _statistics.ForwardDropped();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_endpoint is null)
        {
            return;
        }

        var client = _httpClientFactory.CreateClient(HttpClientName);
        var queued = new List<(OtlpSignal, byte[])>();
        while (await _queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
        {
            TakeQueued(queued);
            foreach (var batch in OtlpExportBatch.Join(queued))
            {
                await SendAsync(client, batch, stoppingToken).ConfigureAwait(false);
            }

            queued.Clear();
        }
    }

    /// <summary>What is queued now, up to <c>MaxBatchBytes</c> (at least one export, whatever its size).</summary>
    private void TakeQueued(List<(OtlpSignal, byte[])> queued)
    {
        var bytes = 0;
        while (_queue.Reader.TryPeek(out var next) && (queued.Count == 0 || bytes + next.Body.Length <= _maxBatchBytes) && _queue.Reader.TryRead(out next))
        {
            queued.Add(next);
            bytes += next.Body.Length;
        }
    }

    private async Task SendAsync(HttpClient client, OtlpExportBatch batch, CancellationToken stoppingToken)
    {
        var target = new Uri(_endpoint!, OtlpSignalPaths.Of(batch.Signal).TrimStart('/'));
        try
        {
            using var content = new ByteArrayContent(batch.Body);
            content.Headers.ContentType = new MediaTypeHeaderValue(OtlpContentTypes.Protobuf);
            using var response = await client.PostAsync(target, content, stoppingToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                _statistics.Forwarded(batch.Exports);
                return;
            }

            _statistics.ForwardFailed(batch.Exports);
            LogForwardRejected(target, (int)response.StatusCode);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
        {
            _statistics.ForwardFailed(batch.Exports);
            LogForwardFailed(target, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forwarding to {Target} was refused with HTTP {StatusCode}.")]
    private partial void LogForwardRejected(Uri target, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forwarding to {Target} failed: {Reason}")]
    private partial void LogForwardFailed(Uri target, string reason);
}
