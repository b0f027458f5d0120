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

        var detail = badRequest.InnerException is JsonException json ? Describe(json) : badRequest.Message;
        httpContext.Response.StatusCode = badRequest.StatusCode;
        await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = badRequest.StatusCode, Detail = detail },
        });
        return true;
    }

    private static string Describe(JsonException json) =>
        // A syntax error comes from the reader (an inner JsonException) and its message explains it. A value of the
        // wrong type has a message naming .NET types, which say nothing to a client: the path says more.
        json.InnerException is JsonException
            ? $"The request body is not valid JSON: {json.Message}"
            : $"The request body does not match this endpoint: the value at {json.Path} has the wrong type or shape (line {json.LineNumber + 1}, byte {json.BytePositionInLine}).";
}
