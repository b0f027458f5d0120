using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderSystem.Diagnostics.Otlp.Rpc;

namespace OrderSystem.Diagnostics.Otlp;

/// <summary>
/// OTLP/HTTP transport (binary protobuf or JSON, optionally gzip): decodes the body, calls the
/// <see cref="OtlpReceiver"/> and encodes its response in the request's encoding. A request that cannot be decoded
/// gets 400, 413 or 415 with a <c>google.rpc.Status</c> body, as the OTLP specification asks, and is counted.
/// </summary>
public sealed partial class OtlpHttpReceiver(IOptions<DiagnosticsOptions> options, ReceiverStatistics statistics, ILogger<OtlpHttpReceiver> logger)
{
    private const int InvalidArgument = 3;
    private const int ResourceExhausted = 8;

    private readonly int _maxRequestBytes = options.Value.MaxRequestBytes;

    public async Task HandleAsync<TRequest, TResponse>(HttpContext context, MessageParser<TRequest> parser, Func<TRequest, TResponse> export)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(parser);
        ArgumentNullException.ThrowIfNull(export);
        var cancellationToken = context.RequestAborted;
        if (!OtlpContentTypes.TryParse(context.Request.ContentType, out var encoding))
        {
            await RejectAsync(context, OtlpEncoding.Protobuf, RejectionReason.UnsupportedMediaType,
                $"Content-Type '{context.Request.ContentType}' is not supported; use {OtlpContentTypes.Protobuf} or {OtlpContentTypes.Json}.").ConfigureAwait(false);
            return;
        }

        var body = await OtlpRequestBodyReader.ReadAsync(context, _maxRequestBytes, cancellationToken).ConfigureAwait(false);
        if (body.Rejection is { } rejection)
        {
            await RejectAsync(context, encoding, rejection, body.Problem!).ConfigureAwait(false);
            return;
        }

        TRequest request;
        try
        {
            request = encoding == OtlpEncoding.Json
                ? OtlpJsonCodec.Parse<TRequest>(body.Bytes.Span)
                : parser.ParseFrom(body.Bytes.Span);
        }
        catch (Exception exception) when (exception is InvalidProtocolBufferException or FormatException)
        {
            await RejectAsync(context, encoding, RejectionReason.Malformed, $"The body is not a valid {typeof(TRequest).Name}: {exception.Message}").ConfigureAwait(false);
            return;
        }

        var response = export(request);
        await WriteAsync(context, StatusCodes.Status200OK, encoding, response).ConfigureAwait(false);
    }

    private async Task RejectAsync(HttpContext context, OtlpEncoding encoding, RejectionReason reason, string problem)
    {
        statistics.RequestRejected(reason);
        LogRejected(context.Request.Path, reason, problem);
        var (statusCode, rpcCode) = reason switch
        {
            RejectionReason.TooLarge => (StatusCodes.Status413PayloadTooLarge, ResourceExhausted),
            RejectionReason.UnsupportedMediaType => (StatusCodes.Status415UnsupportedMediaType, InvalidArgument),
            _ => (StatusCodes.Status400BadRequest, InvalidArgument),
        };
        await WriteAsync(context, statusCode, encoding, new Status { Code = rpcCode, Message = problem }).ConfigureAwait(false);
    }

    private static async Task WriteAsync(HttpContext context, int statusCode, OtlpEncoding encoding, IMessage message)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = OtlpContentTypes.Of(encoding);
        if (encoding == OtlpEncoding.Json)
        {
            await context.Response.WriteAsync(OtlpJsonCodec.Format(message), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        await context.Response.Body.WriteAsync(message.ToByteArray(), context.RequestAborted).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused OTLP request to {Path} ({Reason}): {Problem}")]
    private partial void LogRejected(PathString path, RejectionReason reason, string problem);
}
