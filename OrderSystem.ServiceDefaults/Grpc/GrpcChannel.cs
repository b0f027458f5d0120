using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using Polly;

namespace OrderSystem.ServiceDefaults.Grpc;

/// <summary>
/// Unary calls to one gRPC server over pooled HTTP/2 connections (prior knowledge on http://, ALPN on https://).
/// Thread-safe and meant to live as long as the application; typed clients in OrderSystem.Contracts wrap it.
/// Every failure surfaces as an <see cref="RpcException"/>.
/// </summary>
public sealed class GrpcChannel : IDisposable
{
    private readonly HttpMessageInvoker _invoker;
    private readonly GrpcChannelOptions _options;

    public GrpcChannel(Uri address, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri || address.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"gRPC address '{address}' must be an absolute http:// or https:// URI.", nameof(address));
        }

        Address = address;
        _options = options ?? new GrpcChannelOptions();
        _invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            // Without a propagator SocketsHttpHandler creates no System.Net.Http span and injects no headers: each
            // attempt's CLIENT span is the only one, and CreateRequest injects its context.
            ActivityHeadersPropagator = null,
            EnableMultipleHttp2Connections = true,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2), // new connections follow a changed address
            AllowAutoRedirect = false,
            UseProxy = false, // service-to-service traffic; an HTTP proxy would not speak h2c
        });
    }

    public Uri Address { get; }

    /// <summary>
    /// Calls <paramref name="method"/>: the deadline and <paramref name="cancellationToken"/> bound every attempt
    /// and the backoff between them; UNAVAILABLE is retried through <see cref="GrpcChannelOptions.RetryPipeline"/>.
    /// </summary>
    public async Task<GrpcResponse<TResponse>> UnaryCallAsync<TRequest, TResponse>(
        GrpcMethod<TRequest, TResponse> method,
        TRequest request,
        CallOptions options = default,
        CancellationToken cancellationToken = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(request);

        var payload = new ArrayBufferWriter<byte>();
        GrpcFraming.WriteMessage(payload, request);

        var timeout = options.Deadline - _options.TimeProvider.GetUtcNow();
        using var deadlineSource = timeout is { } delay && delay <= GrpcProtocol.MaxDeadline
            ? new CancellationTokenSource(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, _options.TimeProvider)
            : null;
        var deadlineToken = deadlineSource?.Token ?? CancellationToken.None;
        using var callSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadlineToken);

        var context = ResilienceContextPool.Shared.Get(callSource.Token);
        try
        {
            return await _options.RetryPipeline.ExecuteAsync(
                static (context, state) => state.Channel.SendAttemptAsync(state.Method, state.Payload, state.Options, state.DeadlineToken, context.CancellationToken),
                context,
                (Channel: this, Method: method, Payload: payload.WrittenMemory, Options: options, DeadlineToken: deadlineToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception)
        {
            // Cancelled between attempts, while backing off.
            throw ToRpcException(exception, deadlineToken);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public void Dispose() => _invoker.Dispose();

    private async ValueTask<GrpcResponse<TResponse>> SendAttemptAsync<TRequest, TResponse>(
        GrpcMethod<TRequest, TResponse> method,
        ReadOnlyMemory<byte> payload,
        CallOptions options,
        CancellationToken deadlineToken,
        CancellationToken cancellationToken)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        var started = _options.TimeProvider.GetTimestamp();
        using var activity = GrpcTelemetry.StartClientSpan(method, Address);
        try
        {
            using var request = CreateRequest(method, payload, options, activity);
            using var response = await _invoker.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var result = await ReadResponseAsync(response, method.ResponseParser, cancellationToken).ConfigureAwait(false);
            GrpcTelemetry.CompleteClientCall(activity, method, StatusCode.OK, string.Empty, _options.TimeProvider.GetElapsedTime(started));
            return result;
        }
        catch (Exception exception)
        {
            var status = ToRpcException(exception, deadlineToken);
            GrpcTelemetry.CompleteClientCall(activity, method, status.StatusCode, status.Detail, _options.TimeProvider.GetElapsedTime(started));
            if (ReferenceEquals(status, exception))
            {
                throw;
            }

            throw status;
        }
    }

    private HttpRequestMessage CreateRequest(GrpcMethod method, ReadOnlyMemory<byte> payload, CallOptions options, Activity? activity)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Address, method.Path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ReadOnlyMemoryContent(payload),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(GrpcProtocol.ContentType);
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        if (options.Deadline is { } deadline)
        {
            request.Headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcProtocol.FormatTimeout(deadline - _options.TimeProvider.GetUtcNow()));
        }

        if (options.Headers is not null)
        {
            foreach (var entry in options.Headers)
            {
                request.Headers.TryAddWithoutValidation(entry.Key, entry.HeaderValue);
            }
        }

        // traceparent, tracestate and baggage as the services configure them (W3C trace context + baggage).
        var propagation = new PropagationContext((activity ?? Activity.Current)?.Context ?? default, Baggage.Current);
        Propagators.DefaultTextMapPropagator.Inject(propagation, request.Headers, static (headers, name, value) =>
        {
            headers.Remove(name);
            headers.TryAddWithoutValidation(name, value);
        });
        return request;
    }

    private async Task<GrpcResponse<TResponse>> ReadResponseAsync<TResponse>(
        HttpResponseMessage response, MessageParser<TResponse> parser, CancellationToken cancellationToken)
        where TResponse : class, IMessage<TResponse>
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new RpcException(GrpcProtocol.FromHttpStatus((int)response.StatusCode), $"Bad gRPC response: HTTP status {(int)response.StatusCode}.");
        }

        var contentType = response.Content.Headers.ContentType?.MediaType;
        if (!GrpcProtocol.IsGrpcContentType(contentType))
        {
            throw new RpcException(StatusCode.Internal, $"Bad gRPC response: content-type '{contentType}' is not application/grpc.");
        }

        // Trailers-Only: the status came in the headers and there is no message.
        if (response.Headers.Contains(GrpcProtocol.StatusHeader))
        {
            ReadStatus(response.Headers);
            throw new RpcException(StatusCode.Internal, "the server returned OK without a response message.");
        }

        var reader = PipeReader.Create(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        TResponse? message;
        try
        {
            message = await GrpcFraming.ReadSingleMessageAsync(
                reader, parser, _options.MaxReceiveMessageSize, GetHeader(response.Headers, GrpcProtocol.EncodingHeader), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }

        // The trailers are complete once the body has been read to its end.
        var trailers = ReadStatus(response.TrailingHeaders);
        return message is null
            ? throw new RpcException(StatusCode.Internal, "the server returned OK without a response message.")
            : new GrpcResponse<TResponse>(message, trailers);
    }

    /// <summary>Throws the status in <paramref name="headers"/> unless it is OK; returns their metadata.</summary>
    private static Metadata ReadStatus(HttpHeaders headers)
    {
        var status = GetHeader(headers, GrpcProtocol.StatusHeader)
            ?? throw new RpcException(StatusCode.Internal, "the response ended without a grpc-status trailer.");
        var metadata = new Metadata();
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                metadata.AddReceivedHeader(name, value);
            }
        }

        var statusCode = GrpcProtocol.ParseStatus(status);
        if (statusCode != StatusCode.OK)
        {
            throw new RpcException(statusCode, GrpcProtocol.DecodeMessage(GetHeader(headers, GrpcProtocol.MessageHeader)), metadata);
        }

        return metadata;
    }

    private static string? GetHeader(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static RpcException ToRpcException(Exception exception, CancellationToken deadlineToken) => exception switch
    {
        RpcException status => status,
        OperationCanceledException when deadlineToken.IsCancellationRequested => new RpcException(StatusCode.DeadlineExceeded, "Deadline Exceeded", exception),
        OperationCanceledException => new RpcException(StatusCode.Cancelled, "The call was cancelled by the client.", exception),
        // No answer came (refused connection, reset stream): the next attempt may reach a server.
        HttpRequestException or IOException => new RpcException(StatusCode.Unavailable, $"transport failure: {exception.Message}", exception),
        _ => new RpcException(StatusCode.Unknown, $"the call failed: {exception.Message}", exception),
    };
}
