using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using OrderSystem.Contracts.Inventory;
using OrderSystem.Contracts.Orders;
using OrderSystem.Gateway.Authentication;
using OrderSystem.Gateway.Caching;
using OrderSystem.Gateway.Downstream;
using OrderSystem.Gateway.Limits;
using OrderSystem.Gateway.Problems;
using OrderSystem.Gateway.RateLimiting;
using OrderSystem.Gateway.Telemetry;

namespace OrderSystem.Gateway.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<GatewayOptions>()
            .BindConfiguration(GatewayOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.AddProblemResponses();
        builder.AddRequestLimits();
        builder.AddApiKeyAuthentication();
        builder.AddApiKeyRateLimiting();
        builder.AddCatalogueCaching();

        builder.Services.AddSingleton<DownstreamDeadlines>();
        // A cancelled call or an exceeded deadline throws OperationCanceledException: the request timeout middleware
        // answers the calls it cancelled, DownstreamProblem the rest.
        builder.Services.AddGrpcServiceClient<OrderService.OrderServiceClient>("orders")
            .ConfigureChannel(channel => channel.ThrowOperationCanceledOnCancellation = true);
        builder.Services.AddGrpcServiceClient<InventoryService.InventoryServiceClient>("inventory")
            .ConfigureChannel(channel => channel.ThrowOperationCanceledOnCancellation = true);
        // Service discovery and the standard resilience handler come from ConfigureHttpClientDefaults (ServiceDefaults).
        builder.Services.AddHttpClient<NotificationsClient>(client => client.BaseAddress = NotificationsClient.BaseAddress);
    }

    /// <summary>
    /// Middleware in the order it must run: the header first, problem+json around everything, the request timeout
    /// inside it (so the client going away still reaches the exception handler as such), auth before the limiter, the
    /// output cache last.
    /// </summary>
    public static WebApplication UseGatewayPipeline(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<TraceResponseMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestTimeouts();
        app.UseAuthentication();
        app.UseAuthorization();
        // After authorization: the limiter partitions by the authenticated key.
        app.UseRateLimiter();
        // After the limiter: a page served from the cache still counts against the caller's budget.
        app.UseOutputCache();
        return app;
    }

    /// <summary>Every error is RFC 7807 problem+json: thrown, bound badly, or an empty 4xx/5xx.</summary>
    private static void AddProblemResponses(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // Minimal APIs answer a non-JSON body with a bare 415; the status code page should say what to send.
            if (context.ProblemDetails is { Status: StatusCodes.Status415UnsupportedMediaType, Detail: null })
            {
                context.ProblemDetails.Detail = "Send the body as JSON with 'Content-Type: application/json'.";
            }

            // Binding answers Kestrel's "body too large" with a bare 413: say what the limit is.
            if (context.ProblemDetails is { Status: StatusCodes.Status413PayloadTooLarge, Detail: null })
            {
                var limit = context.HttpContext.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value.MaxRequestBodySize;
                context.ProblemDetails.Detail = $"The request body is too large: the Gateway accepts at most {limit} bytes.";
            }
        });
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<DownstreamExceptionHandler>();
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
    }

    private static void AddApiKeyAuthentication(this IHostApplicationBuilder builder)
    {
        // Read now, so a Gateway without keys stops at start with the setting to add.
        builder.Services.AddSingleton(ApiKeyRegistry.FromConfiguration(builder.Configuration));
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, configureOptions: null);
        builder.Services.AddAuthorization();
    }
}
