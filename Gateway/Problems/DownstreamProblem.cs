using System.Globalization;
using Grpc.Core;
using OrderSystem.Contracts.Orders;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace OrderSystem.Gateway.Problems;

/// <summary>
/// What a failed call to Orders, Inventory or Notifications means for the REST caller. The caller's mistakes keep
/// their message (it says what is wrong); failures of the system get a generic one, since their details are ours.
/// </summary>
/// <param name="RetryAfterSeconds">Sent as <c>Retry-After</c> when waiting is likely to help.</param>
/// <param name="OrderId">The order the failure is about, when Orders named one (its <c>order-id</c> trailer).</param>
public sealed record DownstreamProblem(int Status, string Title, string Detail, int? RetryAfterSeconds = null, string? OrderId = null)
{
    /// <summary>How long a caller should wait after an outage: about what the services need to restart.</summary>
    public const int UnavailableRetryAfterSeconds = 5;

    private const string TimeoutDetail =
        "A downstream service did not answer within the Gateway's deadline. Retrying an order with the same Idempotency-Key is safe.";

    private static readonly DownstreamProblem Unavailable = new(
        StatusCodes.Status503ServiceUnavailable, "Service unavailable", "A downstream service is unavailable; retry later.", UnavailableRetryAfterSeconds);

    private static readonly DownstreamProblem Timeout = new(StatusCodes.Status504GatewayTimeout, "Gateway timeout", TimeoutDetail);

    /// <summary>The problem for <paramref name="exception"/>, or null when it is not a downstream failure.</summary>
    public static DownstreamProblem? From(Exception exception) => exception switch
    {
        RpcException rpc => FromStatus(rpc) with { OrderId = rpc.Trailers.GetValue(OrderMetadata.OrderIdTrailer) },
        BrokenCircuitException => Unavailable,
        TimeoutRejectedException => Timeout,
        // The Gateway's gRPC clients throw it for an exceeded deadline (ThrowOperationCanceledOnCancellation); the
        // client going away and the request timeout are answered before this is asked.
        OperationCanceledException => Timeout,
        HttpRequestException { StatusCode: null } => Unavailable,
        HttpRequestException { StatusCode: { } status } => BadGateway($"A downstream service answered HTTP {(int)status}."),
        _ => null,
    };

    private static DownstreamProblem FromStatus(RpcException rpc) => rpc.StatusCode switch
    {
        StatusCode.InvalidArgument => new(StatusCodes.Status400BadRequest, "Invalid request", rpc.Status.Detail),
        StatusCode.FailedPrecondition => new(StatusCodes.Status409Conflict, "Insufficient stock", rpc.Status.Detail),
        StatusCode.NotFound => new(StatusCodes.Status404NotFound, "Not found", rpc.Status.Detail),
        StatusCode.Unavailable => Unavailable,
        StatusCode.DeadlineExceeded => Timeout,
        var other => BadGateway(string.Create(CultureInfo.InvariantCulture, $"A downstream service failed with gRPC status {other} ({(int)other}).")),
    };

    private static DownstreamProblem BadGateway(string detail) => new(StatusCodes.Status502BadGateway, "Bad gateway", detail);
}
