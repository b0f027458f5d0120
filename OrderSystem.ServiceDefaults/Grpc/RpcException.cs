namespace OrderSystem.ServiceDefaults.Grpc;

/// <summary>
/// A call that ended with a non-OK status. Handlers throw it to answer with that status; clients receive it for
/// every failed call (transport failures and deadlines included).
/// </summary>
public sealed class RpcException : Exception
{
    public RpcException(StatusCode statusCode, string detail, Metadata? trailers = null)
        : this(statusCode, detail, trailers, innerException: null)
    {
    }

    public RpcException(StatusCode statusCode, string detail, Exception? innerException)
        : this(statusCode, detail, trailers: null, innerException)
    {
    }

    private RpcException(StatusCode statusCode, string detail, Metadata? trailers, Exception? innerException)
        : base($"Status(StatusCode=\"{statusCode}\", Detail=\"{detail}\")", innerException)
    {
        StatusCode = statusCode;
        Detail = detail;
        Trailers = trailers ?? [];
    }

    public StatusCode StatusCode { get; }

    /// <summary>The status message (<c>grpc-message</c>).</summary>
    public string Detail { get; }

    /// <summary>Trailing metadata sent with the status.</summary>
    public Metadata Trailers { get; }
}
