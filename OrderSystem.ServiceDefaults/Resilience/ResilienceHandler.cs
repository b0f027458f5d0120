using Polly;

namespace OrderSystem.ServiceDefaults.Resilience;

/// <summary>Runs every outgoing request of an HttpClient through a resilience pipeline.</summary>
public sealed class ResilienceHandler(ResiliencePipeline<HttpResponseMessage> pipeline) : DelegatingHandler
{
    private static readonly string[] TraceContextHeaders = ["traceparent", "tracestate", "baggage"];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        if (request.Options.TryGetValue(ResilienceRequestOptions.RetriesDisabled, out var retriesDisabled) && retriesDisabled)
        {
            context.Properties.Set(StandardResiliencePipeline.RetriesDisabled, true);
        }

        try
        {
            return await pipeline.ExecuteAsync(
                static async (ctx, state) =>
                {
                    var (handler, message) = state;
                    return await handler.SendCoreAsync(message, ctx.CancellationToken).ConfigureAwait(ctx.ContinueOnCapturedContext);
                },
                context,
                (this, request)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Each attempt is its own client span: HttpClient does not overwrite a trace context header that is already
        // there, so the previous attempt's must go, or every retry's server span would hang under the first attempt.
        foreach (var header in TraceContextHeaders)
        {
            request.Headers.Remove(header);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
