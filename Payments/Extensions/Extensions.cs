using Microsoft.AspNetCore.Diagnostics;
using Npgsql;
using OrderSystem.Payments.Data;
using OrderSystem.Payments.Infrastructure;
using OrderSystem.Payments.Provider;
using OrderSystem.Payments.Services;
using OrderSystem.Payments.Telemetry;
using OrderSystem.ServiceDefaults.Faults;
using OrderSystem.ServiceDefaults.Data;

namespace OrderSystem.Payments.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // No retrying execution strategy: a failed statement surfaces to the caller, which owns retries (as with Npgsql alone).
        builder.AddNpgsqlDbContext<PaymentsContext>("paymentsdb", settings => settings.DisableRetry = true);
        builder.Services.AddMigration<PaymentsContext>();
        builder.AddFaultSwitches("cache");

        builder.Services.AddProblemDetails();
        builder.Services.Configure<ExceptionHandlerOptions>(options => options.StatusCodeSelector = exception => exception switch
        {
            // A body too large or a request that failed to bind is the caller's problem, with its own status code.
            BadHttpRequestException badRequest => badRequest.StatusCode,
            // The database being down is a temporary condition for the caller, not a bug: 503, like the provider.
            NpgsqlException { IsTransient: true } or TimeoutException => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status500InternalServerError,
        });

        builder.Services.AddSingleton<PaymentsTelemetry>();
        builder.Services.AddScoped<PaymentStore>();
        builder.Services.AddScoped<PaymentProcessor>();
        builder.Services.AddScoped<PaymentRefunder>();

        builder.AddPaymentProvider();
    }

    /// <summary>The simulated provider's endpoints' state, and the typed client that calls them over HTTP.</summary>
    private static void AddPaymentProvider(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PaymentProviderOptions>()
            .BindConfiguration(PaymentProviderOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<SimulatedPaymentProvider>();
        builder.Services.AddSingleton<PaymentProviderAddress>();

        // The standard resilience pipeline and service discovery come from ConfigureHttpClientDefaults (ServiceDefaults).
        builder.Services.AddHttpClient<PaymentProviderClient>((services, client) =>
            client.BaseAddress = services.GetRequiredService<PaymentProviderAddress>().Resolve());
    }
}
