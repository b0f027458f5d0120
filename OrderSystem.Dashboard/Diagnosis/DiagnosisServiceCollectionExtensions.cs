using Microsoft.Extensions.DependencyInjection;
using OrderSystem.Dashboard.Diagnosis.Rules;

namespace OrderSystem.Dashboard.Diagnosis;

public static class DiagnosisServiceCollectionExtensions
{
    /// <summary>The trace analyzers, the finding rules and their thresholds (<c>Dashboard:Diagnosis</c>).</summary>
    public static IServiceCollection AddDiagnosis(this IServiceCollection services)
    {
        services.AddOptions<DiagnosisOptions>()
            .BindConfiguration(DiagnosisOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.BaselineRefreshInterval >= TimeSpan.Zero, "Dashboard:Diagnosis:BaselineRefreshInterval must not be negative.")
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
