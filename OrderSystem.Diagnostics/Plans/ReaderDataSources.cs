using Microsoft.Extensions.Configuration;
using Npgsql;

namespace OrderSystem.Diagnostics.Plans;

/// <summary>
/// One data source per database the diagnostics service may plan statements on, keyed by database name (what spans
/// carry in <c>db.namespace</c>), from the <c>ConnectionStrings:*-reader</c> connection strings.
/// </summary>
public sealed class ReaderDataSources : IAsyncDisposable
{
    private readonly Dictionary<string, NpgsqlDataSource> _byDatabase = new(StringComparer.Ordinal);

    public ReaderDataSources(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var entry in configuration.GetSection("ConnectionStrings").GetChildren())
        {
            if (!entry.Key.EndsWith(PlanOptions.ReaderConnectionSuffix, StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(entry.Value))
            {
                continue;
            }

            var builder = new NpgsqlDataSourceBuilder(entry.Value);
            // Each explanation sets session state (a prepared statement) and is rare: a fresh session each time.
            builder.ConnectionStringBuilder.Pooling = false;
            // This service exports no telemetry of its own; its planning queries are not the system's.
            builder.ConfigureTracing(tracing => tracing.ConfigureCommandFilter(_ => false).ConfigureBatchFilter(_ => false).EnablePhysicalOpenTracing(false));
            if (builder.ConnectionStringBuilder.Database is { } database)
            {
                _byDatabase.TryAdd(database, builder.Build());
            }
        }
    }

    public NpgsqlDataSource? For(string database) => _byDatabase.GetValueOrDefault(database);

    public async ValueTask DisposeAsync()
    {
        foreach (var dataSource in _byDatabase.Values)
        {
            await dataSource.DisposeAsync();
        }
    }
}
