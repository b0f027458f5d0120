using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using OrderSystem.Gateway.Apis;

namespace OrderSystem.Gateway.Problems;

/// <summary>
/// Answers a failed downstream call with the status <see cref="DownstreamProblem"/> gives it, as problem+json. A
/// call cancelled because the client went away gets no body: nobody is left to read it.
/// </summary>
public sealed partial class DownstreamExceptionHandler(IProblemDetailsService problemDetails, ILogger<DownstreamExceptionHandler> logger)
    : IExceptionHandler
{
    /// <summary>nginx's "client closed request": recorded on the server span and in the metrics, never sent.</summary>
    public const int ClientClosedRequest = 499;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (httpContext.RequestAborted.IsCancellationRequested && exception is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            httpContext.Response.StatusCode = ClientClosedRequest;
            return true;
        }

        if (DownstreamProblem.From(exception) is not { } problem)
        {
            return false;
        }

        if (problem.Status >= StatusCodes.Status500InternalServerError)
        {
            LogDownstreamFailure(logger, httpContext.Request.Path, problem.Status, exception);
        }

        httpContext.Response.StatusCode = problem.Status;
        if (problem.RetryAfterSeconds is { } retryAfter)
        {
            httpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        }

        var details = new ProblemDetails { Status = problem.Status, Title = problem.Title, Detail = problem.Detail };
        if (problem.OrderId is { } orderId)
        {
            // The order exists (it failed after its stock was taken, say): the caller can read it, or retry with its key.
            httpContext.Response.Headers.Location = OrdersApi.OrderLocation(orderId);
            details.Extensions["orderId"] = orderId;
        }

        await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, Exception = exception, ProblemDetails = details });
        return true;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "A downstream call for {Path} failed; the caller gets {StatusCode}.")]
    private static partial void LogDownstreamFailure(ILogger logger, string path, int statusCode, Exception exception);
}
