using Npgsql;

namespace OrderSystem.AppHost.Infrastructure;

/// <summary>
/// PostgreSQL sessions of the AppHost itself (health probes, creating databases and roles): orchestration, not the
/// system's work, so they make no spans. Under Aspire.Hosting.Testing the AppHost runs in the test process, where an
/// in-process service's OpenTelemetry SDK would otherwise record them as its own.
/// </summary>
public static class UntracedNpgsql
{
    /// <summary>A data source for one short piece of work; dispose it after.</summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConfigureTracing(tracing => tracing
            .ConfigureCommandFilter(_ => false)
            .ConfigureBatchFilter(_ => false)
            .EnablePhysicalOpenTracing(false));
        return builder.Build();
    }
}
