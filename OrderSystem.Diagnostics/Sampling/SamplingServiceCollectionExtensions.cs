using Microsoft.Extensions.DependencyInjection;

namespace OrderSystem.Diagnostics.Sampling;

public static class SamplingServiceCollectionExtensions
{
    /// <summary>The receiver's tail sampler (<c>Diagnostics:TailSampling</c>, off by default) and its decision timer.</summary>
    public static IServiceCollection AddTailSampling(this IServiceCollection services)
    {
        services.AddOptions<TailSamplingOptions>()
            .BindConfiguration(TailSamplingOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.DecisionWait > TimeSpan.Zero && o.RootGrace > TimeSpan.Zero, "Diagnostics:TailSampling:DecisionWait and RootGrace must be positive.")
            .ValidateOnStart();
        services.AddSingleton<TailSampler>();
        services.AddHostedService<TailSamplingService>();
        return services;
    }
}
