using System.Globalization;
using System.Text;

namespace OrderSystem.ServiceDefaults.Grpc;

/// <summary>The gRPC over HTTP/2 wire rules (grpc/doc/PROTOCOL-HTTP2.md) both ends share.</summary>
internal static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";
    public const string TimeoutHeader = "grpc-timeout";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    public const string IdentityEncoding = "identity";
    public const int DefaultMaxMessageSize = 4 * 1024 * 1024;

    /// <summary>The longest delay a CancellationTokenSource accepts; a longer deadline is no deadline in practice.</summary>
    public static readonly TimeSpan MaxDeadline = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private const long MaxTimeoutValue = 99_999_999; // TimeoutValue is at most 8 digits.

    private static readonly (char Unit, long TicksPerUnit)[] TimeoutUnits =
    [
        ('u', TimeSpan.TicksPerMicrosecond),
        ('m', TimeSpan.TicksPerMillisecond),
        ('S', TimeSpan.TicksPerSecond),
        ('M', TimeSpan.TicksPerMinute),
        ('H', TimeSpan.TicksPerHour),
    ];

    /// <summary><c>application/grpc</c>, optionally with a <c>+proto</c> style suffix or parameters.</summary>
    public static bool IsGrpcContentType(string? contentType) =>
        contentType is not null
        && contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase)
        && (contentType.Length == ContentType.Length || contentType[ContentType.Length] is '+' or ';');

    /// <summary>The finest unit that fits in 8 digits, rounded up so the server never expires before the client.</summary>
    public static string FormatTimeout(TimeSpan timeout)
    {
        var ticks = Math.Max(timeout.Ticks, 0);
        foreach (var (unit, ticksPerUnit) in TimeoutUnits)
        {
            var value = (ticks + ticksPerUnit - 1) / ticksPerUnit;
            if (value <= MaxTimeoutValue)
            {
                return value.ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return MaxTimeoutValue.ToString(CultureInfo.InvariantCulture) + 'H';
    }

    /// <summary>Parses <c>TimeoutValue TimeoutUnit</c>: 1 to 8 digits, then H, M, S, m, u or n.</summary>
    public static bool TryParseTimeout(string? header, out TimeSpan timeout)
    {
        timeout = default;
        if (header is not { Length: >= 2 and <= 9 }
            || !long.TryParse(header.AsSpan(0, header.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        long? ticks = header[^1] switch
        {
            'n' => (value + 99) / 100, // a tick is 100 ns
            'u' => value * TimeSpan.TicksPerMicrosecond,
            'm' => value * TimeSpan.TicksPerMillisecond,
            'S' => value * TimeSpan.TicksPerSecond,
            'M' => value * TimeSpan.TicksPerMinute,
            'H' => value * TimeSpan.TicksPerHour, // 99,999,999 H still fits in a long
            _ => null,
        };
        if (ticks is null)
        {
            return false;
        }

        timeout = TimeSpan.FromTicks(ticks.Value);
        return true;
    }

    /// <summary>Percent-encodes <c>grpc-message</c>: UTF-8 bytes outside printable ASCII, and '%', become %XX.</summary>
    public static string EncodeMessage(string message)
    {
        if (message.All(character => character is >= ' ' and <= '~' and not '%'))
        {
            return message;
        }

        var builder = new StringBuilder(message.Length * 3);
        foreach (var value in Encoding.UTF8.GetBytes(message))
        {
            if (value is >= 0x20 and <= 0x7E and not (byte)'%')
            {
                builder.Append((char)value);
            }
            else
            {
                builder.Append('%').Append(value.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>Invalid percent sequences stay as they are, as the specification asks.</summary>
    public static string DecodeMessage(string? message) => string.IsNullOrEmpty(message) ? string.Empty : Uri.UnescapeDataString(message);

    public static StatusCode ParseStatus(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code <= (int)StatusCode.Unauthenticated
            ? (StatusCode)code
            : StatusCode.Unknown;

    public static string FormatStatus(StatusCode statusCode) => ((int)statusCode).ToString(CultureInfo.InvariantCulture);

    /// <summary>The status of a response without <c>grpc-status</c> (grpc/doc/http-grpc-status-mapping.md).</summary>
    public static StatusCode FromHttpStatus(int httpStatus) => httpStatus switch
    {
        400 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    /// <summary>The status name as the specification and other languages spell it, e.g. DEADLINE_EXCEEDED.</summary>
    public static string StatusName(StatusCode statusCode) => statusCode switch
    {
        StatusCode.OK => "OK",
        StatusCode.Cancelled => "CANCELLED",
        StatusCode.Unknown => "UNKNOWN",
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        StatusCode.NotFound => "NOT_FOUND",
        StatusCode.AlreadyExists => "ALREADY_EXISTS",
        StatusCode.PermissionDenied => "PERMISSION_DENIED",
        StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        StatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        StatusCode.Aborted => "ABORTED",
        StatusCode.OutOfRange => "OUT_OF_RANGE",
        StatusCode.Unimplemented => "UNIMPLEMENTED",
        StatusCode.Internal => "INTERNAL",
        StatusCode.Unavailable => "UNAVAILABLE",
        StatusCode.DataLoss => "DATA_LOSS",
        StatusCode.Unauthenticated => "UNAUTHENTICATED",
        _ => "UNKNOWN",
    };
}
