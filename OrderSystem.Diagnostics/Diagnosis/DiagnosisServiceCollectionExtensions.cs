using Microsoft.Extensions.DependencyInjection;
using OrderSystem.Diagnostics.Diagnosis.Rules;

namespace OrderSystem.Diagnostics.Diagnosis;

public static class DiagnosisServiceCollectionExtensions
{
    /// <summary>The trace analyzers, the finding rules and their thresholds (<c>Diagnostics:Diagnosis</c>).</summary>
    public static IServiceCollection AddDiagnosis(this IServiceCollection services)
    {
        services.AddOptions<DiagnosisOptions>()
            .BindConfiguration(DiagnosisOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.BaselineRefreshInterval >= TimeSpan.Zero, "Diagnostics:Diagnosis:BaselineRefreshInterval must not be negative.")
            .ValidateOnStart();
        services.AddSingleton<StatementNormalizer>();
        services.AddSingleton<StatementBaselines>();
        services.AddSingleton<IFindingRule, SlowStatementRule>();
        services.AddSingleton<IFindingRule, NPlusOneRule>();
        services.AddSingleton<IFindingRule, LockContentionRule>();
        services.AddSingleton<IFindingRule, RetryStormRule>();
        services.AddSingleton<IFindingRule, CacheMissRule>();
        services.AddSingleton<IFindingRule, RootCauseRule>();
        services.AddSingleton<IFindingRule, MessagingLagRule>();
        services.AddSingleton<TraceAnalyzer>();
        services.AddSingleton<TraceSelection>();
        services.AddSingleton<TraceSetAnalyzer>();
        services.AddSingleton<WindowComparison>();
        return services;
    }
}
