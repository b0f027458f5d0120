using Microsoft.Extensions.DependencyInjection;
using OrderSystem.Diagnostics.Diagnosis.Rules;
using OrderSystem.Diagnostics.Plans;

namespace OrderSystem.Diagnostics.Diagnosis;

public static class DiagnosisServiceCollectionExtensions
{
    /// <summary>
    /// The trace analyzers, the finding rules and their thresholds (<c>Diagnostics:Diagnosis</c>), and the planner that
    /// names a slow statement's missing index (<c>Diagnostics:Plans</c>).
    /// </summary>
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

        services.AddOptions<PlanOptions>()
            .BindConfiguration(PlanOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.WaitTimeout > TimeSpan.Zero && o.ExplainTimeout > TimeSpan.Zero && o.CacheDuration > TimeSpan.Zero, "Diagnostics:Plans:WaitTimeout, ExplainTimeout and CacheDuration must be positive.")
            .ValidateOnStart();
        services.AddMemoryCache();
        services.AddSingleton<ReaderDataSources>();
        services.AddSingleton<StatementExplainer>();
        services.AddSingleton<MissingIndexAdvisor>();
        return services;
    }
}
