using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace OrderSystem.Diagnostics.Sampling;

public static class SamplingServiceCollectionExtensions
{
    /// <summary>
    /// The receiver's tail sampler (<c>Diagnostics:TailSampling</c>; on by default outside Development), its decision
    /// timer, and where kept spans go.
    /// </summary>
    public static IServiceCollection AddTailSampling(this IServiceCollection services)
    {
        services.AddOptions<TailSamplingOptions>()
            .BindConfiguration(TailSamplingOptions.SectionName)
            .PostConfigure<IHostEnvironment>((options, environment) => options.Enabled ??= !environment.IsDevelopment())
            .ValidateDataAnnotations()
            .Validate(o => o.DecisionWait > TimeSpan.Zero && o.RootGrace > TimeSpan.Zero, "Diagnostics:TailSampling:DecisionWait and RootGrace must be positive.")
            .ValidateOnStart();
        services.AddSingleton<KeptSpans>();
        services.AddSingleton<TailSampler>();
        services.AddHostedService<TailSamplingService>();
        return services;
    }
}
