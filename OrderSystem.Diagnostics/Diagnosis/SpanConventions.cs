using System.Globalization;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Diagnosis;

/// <summary>
/// Reads the OpenTelemetry semantic conventions the rules rely on, accepting both the current names and the older
/// ones instrumentations still emit (<c>db.system</c> and <c>db.system.name</c>, <c>db.statement</c> and
/// <c>db.query.text</c>, <c>rpc.grpc.status_code</c> and <c>rpc.response.status_code</c>...).
/// </summary>
public static class SpanConventions
{
    public const string DbSystem = "db.system";
    public const string DbSystemName = "db.system.name";
    public const string DbStatement = "db.statement";
    public const string DbQueryText = "db.query.text";
    public const string DbOperation = "db.operation";
    public const string DbOperationName = "db.operation.name";
    public const string DbResponseStatusCode = "db.response.status_code";
    public const string MessagingSystem = "messaging.system";
    public const string MessagingOperationType = "messaging.operation.type";
    public const string MessagingDestination = "messaging.destination.name";
    public const string RpcSystem = "rpc.system";
    public const string RpcSystemName = "rpc.system.name";
    public const string RpcService = "rpc.service";
    public const string RpcMethod = "rpc.method";
    public const string RpcGrpcStatusCode = "rpc.grpc.status_code";
    public const string RpcResponseStatusCode = "rpc.response.status_code";
    public const string HttpRequestMethod = "http.request.method";
    public const string HttpMethodLegacy = "http.method";
    public const string HttpResponseStatusCode = "http.response.status_code";
    public const string HttpRoute = "http.route";
    public const string UrlFull = "url.full";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";
    public const string ErrorType = "error.type";
    public const string ExceptionEvent = "exception";
    public const string ExceptionType = "exception.type";
    public const string ExceptionMessage = "exception.message";

    private static readonly HashSet<string> CacheSystems = new(StringComparer.OrdinalIgnoreCase) { "redis", "valkey", "memcached" };

    public static string? DatabaseSystem(StoredSpan span) =>
        span.TryGetAttribute(DbSystemName, out var system) || span.TryGetAttribute(DbSystem, out system) ? system : null;

    public static bool IsCacheSystem(string system) => CacheSystems.Contains(system);

    public static bool IsRpc(StoredSpan span) => span.TryGetAttribute(RpcSystemName, out _) || span.TryGetAttribute(RpcSystem, out _);

    /// <summary>
    /// The method an RPC span called, <c>package.Service/Method</c>: the current conventions put it whole in
    /// <c>rpc.method</c>, the older ones split it between <c>rpc.service</c> and <c>rpc.method</c>.
    /// </summary>
    public static string? RpcTarget(StoredSpan span)
    {
        ArgumentNullException.ThrowIfNull(span);
        if (!span.TryGetAttribute(RpcMethod, out var method))
        {
            return null;
        }

        return span.TryGetAttribute(RpcService, out var service) ? $"{service}/{method}" : method;
    }

    /// <summary>The gRPC status name (UNAVAILABLE), from the current string attribute or the older numeric one.</summary>
    public static string? GrpcStatus(StoredSpan span)
    {
        ArgumentNullException.ThrowIfNull(span);
        if (span.TryGetAttribute(RpcResponseStatusCode, out var name))
        {
            return name;
        }

        return span.TryGetAttribute(RpcGrpcStatusCode, out var code) ? GrpcStatusName(code) : null;
    }

    /// <summary>The query text of a database span, or null when it is not one or carries none.</summary>
    public static string? Statement(StoredSpan span) =>
        span.TryGetAttribute(DbQueryText, out var text) || span.TryGetAttribute(DbStatement, out text) ? text : null;

    /// <summary>
    /// Everything that says why a span failed, for rules matching error codes: status description, error type,
    /// the database's status code and the exception events' types and messages.
    /// </summary>
    public static IEnumerable<string> ErrorTexts(StoredSpan span)
    {
        ArgumentNullException.ThrowIfNull(span);
        if (span.StatusMessage is { } message)
        {
            yield return message;
        }

        if (span.TryGetAttribute(ErrorType, out var errorType))
        {
            yield return errorType;
        }

        if (span.TryGetAttribute(DbResponseStatusCode, out var statusCode))
        {
            yield return statusCode;
        }

        foreach (var spanEvent in span.Events)
        {
            if (!string.Equals(spanEvent.Name, ExceptionEvent, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var attribute in spanEvent.Attributes)
            {
                if (attribute.Key is ExceptionType or ExceptionMessage)
                {
                    yield return attribute.Value;
                }
            }
        }
    }

    /// <summary>
    /// Whether a client call failed: error status, an HTTP 5xx (or 429) answer, or a gRPC status other than OK
    /// and the caller's own mistakes.
    /// </summary>
    public static bool IsFailedCall(StoredSpan span)
    {
        ArgumentNullException.ThrowIfNull(span);
        if (span.IsError)
        {
            return true;
        }

        if (TryGetInteger(span, HttpResponseStatusCode, out var httpStatus))
        {
            return httpStatus is >= 500 or 429;
        }

        // Worth retrying; the others are the caller's own mistakes or answers.
        return GrpcStatus(span) is "CANCELLED" or "DEADLINE_EXCEEDED" or "RESOURCE_EXHAUSTED" or "INTERNAL" or "UNAVAILABLE";
    }

    /// <summary>A short reason for a failed call: the HTTP or gRPC status, or the status description.</summary>
    public static string FailureReason(StoredSpan span)
    {
        ArgumentNullException.ThrowIfNull(span);
        if (span.TryGetAttribute(HttpResponseStatusCode, out var httpStatus))
        {
            return "HTTP " + httpStatus;
        }

        if (GrpcStatus(span) is { } grpcStatus and not "OK")
        {
            return "gRPC " + grpcStatus;
        }

        return span.StatusMessage ?? (span.TryGetAttribute(ErrorType, out var errorType) ? errorType : "error");
    }

    public static bool TryGetInteger(StoredSpan span, string key, out long value)
    {
        ArgumentNullException.ThrowIfNull(span);
        value = 0;
        return span.TryGetAttribute(key, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
    }

    private static string GrpcStatusName(string code) => code switch
    {
        "0" => "OK",
        "1" => "CANCELLED",
        "2" => "UNKNOWN",
        "3" => "INVALID_ARGUMENT",
        "4" => "DEADLINE_EXCEEDED",
        "5" => "NOT_FOUND",
        "6" => "ALREADY_EXISTS",
        "7" => "PERMISSION_DENIED",
        "8" => "RESOURCE_EXHAUSTED",
        "9" => "FAILED_PRECONDITION",
        "10" => "ABORTED",
        "11" => "OUT_OF_RANGE",
        "12" => "UNIMPLEMENTED",
        "13" => "INTERNAL",
        "14" => "UNAVAILABLE",
        "15" => "DATA_LOSS",
        "16" => "UNAUTHENTICATED",
        _ => code,
    };
}
