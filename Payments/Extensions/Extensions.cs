using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Http.Resilience;
using Npgsql;
using OrderSystem.Payments.Data;
using OrderSystem.Payments.Infrastructure;
using OrderSystem.Payments.Provider;
using OrderSystem.Payments.Services;
using OrderSystem.Payments.Telemetry;
using OrderSystem.ServiceDefaults.Data;
using OrderSystem.ServiceDefaults.Faults;

namespace OrderSystem.Payments.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDbContext<PaymentsContext>("paymentsdb");
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

        // Service discovery comes from ConfigureHttpClientDefaults (ServiceDefaults). The standard resilience handler
        // is added again for this client alone, with a retry rule that lets payments-retries-off send a call once.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is experimental; it is how one client replaces the default handler.
        builder.Services.AddHttpClient<PaymentProviderClient>((services, client) =>
                client.BaseAddress = services.GetRequiredService<PaymentProviderAddress>().Resolve())
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler()
            .Configure(PaymentProviderClient.HonourRetriesOff);
#pragma warning restore EXTEXP0001
    }
}
