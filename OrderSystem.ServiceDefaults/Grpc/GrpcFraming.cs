using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using Google.Protobuf;

namespace OrderSystem.ServiceDefaults.Grpc;

/// <summary>
/// Length-prefixed messages: a 1-byte compressed flag, a 4-byte big-endian length, then the protobuf bytes.
/// Malformed input becomes an <see cref="RpcException"/> with the status the specification gives it.
/// </summary>
internal static class GrpcFraming
{
    private const int HeaderSize = 5;

    public static void WriteMessage(IBufferWriter<byte> writer, IMessage message)
    {
        var header = writer.GetSpan(HeaderSize);
        header[0] = 0; // not compressed: compression is never negotiated
        BinaryPrimitives.WriteUInt32BigEndian(header[1..HeaderSize], (uint)message.CalculateSize());
        writer.Advance(HeaderSize);
        message.WriteTo(writer);
    }

    /// <summary>
    /// Reads the one message of a unary request or response and the end of the stream after it; null when the
    /// stream ended without a message. <paramref name="encoding"/> is the peer's <c>grpc-encoding</c> header.
    /// </summary>
    public static async ValueTask<T?> ReadSingleMessageAsync<T>(
        PipeReader reader, MessageParser<T> parser, int maxMessageSize, string? encoding, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        T? message = null;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            try
            {
                if (message is null && TryReadFrame(ref buffer, parser, maxMessageSize, encoding, out var parsed))
                {
                    message = parsed;
                }

                if (message is not null && !buffer.IsEmpty)
                {
                    throw new RpcException(StatusCode.Internal, "a unary call carries exactly one message, but more data followed it.");
                }

                if (result.IsCompleted)
                {
                    if (message is null && !buffer.IsEmpty)
                    {
                        throw new RpcException(StatusCode.Internal, $"incomplete message: the stream ended after {buffer.Length} bytes of a frame.");
                    }

                    return message;
                }
            }
            finally
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
    }

    private static bool TryReadFrame<T>(
        ref ReadOnlySequence<byte> buffer, MessageParser<T> parser, int maxMessageSize, string? encoding, [NotNullWhen(true)] out T? message)
        where T : class, IMessage<T>
    {
        message = null;
        if (buffer.Length < HeaderSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        switch (header[0])
        {
            case 0:
                break;
            case 1 when encoding is null or GrpcProtocol.IdentityEncoding:
                throw new RpcException(StatusCode.Internal, "the message is flagged compressed but grpc-encoding is identity.");
            case 1:
                throw new RpcException(StatusCode.Unimplemented, $"grpc-encoding '{encoding}' is not supported; supported: identity.");
            default:
                throw new RpcException(StatusCode.Internal, $"invalid compressed flag {header[0]} in the message prefix.");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (length > maxMessageSize)
        {
            throw new RpcException(StatusCode.ResourceExhausted, $"message of {length} bytes exceeds the limit of {maxMessageSize} bytes.");
        }

        if (buffer.Length < HeaderSize + length)
        {
            return false;
        }

        var payload = buffer.Slice(HeaderSize, length);
        try
        {
            message = parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException exception)
        {
            throw new RpcException(StatusCode.Internal, $"the message is not a valid {typeof(T).Name}.", exception);
        }

        buffer = buffer.Slice(payload.End);
        return true;
    }
}
