using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace OrderSystem.ServiceDefaults.Grpc;

/// <summary>What a handler knows about the call it serves.</summary>
public sealed class ServerCallContext
{
    internal ServerCallContext(
        HttpContext httpContext, GrpcMethod method, DateTimeOffset? deadline, Metadata requestHeaders, Metadata responseTrailers, CancellationToken cancellationToken)
    {
        HttpContext = httpContext;
        Method = method;
        Deadline = deadline;
        RequestHeaders = requestHeaders;
        ResponseTrailers = responseTrailers;
        CancellationToken = cancellationToken;
    }

    public HttpContext HttpContext { get; }

    public GrpcMethod Method { get; }

    /// <summary>When the client gives up (from <c>grpc-timeout</c>); null without one.</summary>
    public DateTimeOffset? Deadline { get; }

    /// <summary>The request metadata (custom headers, including traceparent and baggage).</summary>
    public Metadata RequestHeaders { get; }

    /// <summary>Metadata sent after the response, with the status.</summary>
    public Metadata ResponseTrailers { get; }

    /// <summary>Cancelled when the deadline passes or the client cancels the call.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The client's address in gRPC's URI form: <c>ipv4:127.0.0.1:5000</c> or <c>ipv6:[::1]:5000</c>.</summary>
    public string Peer
    {
        get
        {
            var connection = HttpContext.Connection;
            return connection.RemoteIpAddress switch
            {
                null => "unknown",
                { AddressFamily: AddressFamily.InterNetworkV6 } address => $"ipv6:[{address}]:{connection.RemotePort}",
                var address => $"ipv4:{address}:{connection.RemotePort}",
            };
        }
    }
}
