using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace OrderSystem.Gateway.Problems;

/// <summary>
/// A request the endpoints could not bind (malformed JSON, a missing body, a query value of the wrong type, an
/// unsupported content type) gets problem+json with the status and message ASP.NET Core chose, never a 500.
/// Needs <c>RouteHandlerOptions.ThrowOnBadRequest</c>: otherwise binding failures end with an empty 400.
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        // JsonException's message names the JSON path, line and byte where reading stopped.
        var detail = badRequest.InnerException is JsonException json
            ? $"The request body is not valid JSON for this endpoint: {json.Message}"
            : badRequest.Message;
        httpContext.Response.StatusCode = badRequest.StatusCode;
        await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = badRequest.StatusCode, Detail = detail },
        });
        return true;
    }
}
