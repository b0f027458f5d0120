using System.IO.Compression;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace OrderSystem.Diagnostics.Otlp;

/// <summary>The outcome of reading a request body: the bytes, or why there are none.</summary>
public readonly record struct RequestBody(ReadOnlyMemory<byte> Bytes, RejectionReason? Rejection, string? Problem)
{
    public static RequestBody Rejected(RejectionReason reason, string problem) => new(default, reason, problem);
}

/// <summary>
/// Reads an OTLP request body, inflating gzip, and never holds more than the configured maximum: the wire bytes
/// are capped by Kestrel's body-size limit and the inflated bytes by the copy below, so a gzip bomb stops at the
/// limit instead of filling memory.
/// </summary>
public static class OtlpRequestBodyReader
{
    public static async Task<RequestBody> ReadAsync(HttpContext context, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (request.ContentLength > maxBytes)
        {
            return TooLarge(maxBytes);
        }

        var encoding = request.Headers.ContentEncoding.ToString();
        var isGzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase);
        if (!isGzip && encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return RequestBody.Rejected(RejectionReason.UnsupportedMediaType, $"Content-Encoding '{encoding}' is not supported; use gzip or none.");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = maxBytes;
        }

        try
        {
            var source = isGzip ? new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true) : request.Body;
            await using (source.ConfigureAwait(false))
            {
                return await CopyBoundedAsync(source, maxBytes, (int)Math.Min(request.ContentLength ?? 4096, maxBytes), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(maxBytes);
        }
        catch (InvalidDataException exception)
        {
            return RequestBody.Rejected(RejectionReason.Malformed, $"The gzip body is invalid: {exception.Message}");
        }
    }

    private static async Task<RequestBody> CopyBoundedAsync(Stream source, int maxBytes, int initialCapacity, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream(initialCapacity);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await source.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return TooLarge(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return new RequestBody(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), null, null);
    }

    private static RequestBody TooLarge(int maxBytes) =>
        RequestBody.Rejected(RejectionReason.TooLarge, $"The request body exceeds {maxBytes} bytes (Diagnostics:MaxRequestBytes), compressed or inflated.");
}
