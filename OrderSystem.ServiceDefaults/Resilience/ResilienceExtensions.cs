using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OrderSystem.ServiceDefaults.Resilience;

public static class ResilienceExtensions
{
    /// <summary>Adds the standard pipeline (<see cref="StandardResiliencePipeline"/>) to an HttpClient, one pipeline per client so breakers do not interfere.</summary>
    public static IHttpClientBuilder AddStandardResilienceHandler(this IHttpClientBuilder builder)
    {
        builder.Services.AddOptions<StandardResilienceOptions>()
            .BindConfiguration(StandardResilienceOptions.SectionName);
        builder.Services.AddKeyedSingleton(builder.Name, (services, _) => StandardResiliencePipeline.Create(
            services.GetRequiredService<IOptions<StandardResilienceOptions>>().Value,
            services.GetRequiredService<TimeProvider>()));
        var name = builder.Name;
        return builder.AddHttpMessageHandler(services =>
            new ResilienceHandler(services.GetRequiredKeyedService<Polly.ResiliencePipeline<HttpResponseMessage>>(name)));
    }
}
