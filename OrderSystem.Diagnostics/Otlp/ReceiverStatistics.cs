namespace OrderSystem.Diagnostics.Otlp;

/// <summary>Why an OTLP request was refused as a whole.</summary>
public enum RejectionReason
{
    Malformed,
    TooLarge,
    UnsupportedMediaType,
}

/// <summary>Counts what the receiver accepted, refused and forwarded; shown by <c>GET /api/stats</c>.</summary>
public sealed class ReceiverStatistics
{
    private long _spansAccepted;
    private long _spansRejected;
    private long _logsAccepted;
    private long _dataPointsAccepted;
    private long _dataPointsRejected;
    private long _malformedRequests;
    private long _oversizedRequests;
    private long _unsupportedMediaTypeRequests;
    private long _forwarded;
    private long _forwardDropped;
    private long _forwardFailed;

    public void Spans(int accepted, int rejected)
    {
        Interlocked.Add(ref _spansAccepted, accepted);
        Interlocked.Add(ref _spansRejected, rejected);
    }

    public void Logs(int accepted) => Interlocked.Add(ref _logsAccepted, accepted);

    public void DataPoints(int accepted, int rejected)
    {
        Interlocked.Add(ref _dataPointsAccepted, accepted);
        Interlocked.Add(ref _dataPointsRejected, rejected);
    }

    public void RequestRejected(RejectionReason reason)
    {
        switch (reason)
        {
            case RejectionReason.Malformed:
                Interlocked.Increment(ref _malformedRequests);
                break;
            case RejectionReason.TooLarge:
                Interlocked.Increment(ref _oversizedRequests);
                break;
            default:
                Interlocked.Increment(ref _unsupportedMediaTypeRequests);
                break;
        }
    }

    /// <summary>Received exports relayed upstream, however many requests they were joined into.</summary>
    public void Forwarded(int exports) => Interlocked.Add(ref _forwarded, exports);

    public void ForwardDropped() => Interlocked.Increment(ref _forwardDropped);

    public void ForwardFailed(int exports) => Interlocked.Add(ref _forwardFailed, exports);

    public ReceiverStatisticsSnapshot Snapshot() => new(
        Interlocked.Read(ref _spansAccepted),
        Interlocked.Read(ref _spansRejected),
        Interlocked.Read(ref _logsAccepted),
        Interlocked.Read(ref _dataPointsAccepted),
        Interlocked.Read(ref _dataPointsRejected),
        Interlocked.Read(ref _malformedRequests),
        Interlocked.Read(ref _oversizedRequests),
        Interlocked.Read(ref _unsupportedMediaTypeRequests),
        Interlocked.Read(ref _forwarded),
        Interlocked.Read(ref _forwardDropped),
        Interlocked.Read(ref _forwardFailed));
}

public sealed record ReceiverStatisticsSnapshot(
    long SpansAccepted,
    long SpansRejected,
    long LogsAccepted,
    long DataPointsAccepted,
    long DataPointsRejected,
    long MalformedRequests,
    long OversizedRequests,
    long UnsupportedMediaTypeRequests,
    long ForwardedRequests,
    long ForwardDroppedRequests,
    long ForwardFailedRequests);
