using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OrderSystem.ServiceDefaults.Configuration;

namespace OrderSystem.ServiceDefaults.Postgres;

public static class NpgsqlExtensions
{
    /// <summary>
    /// Registers an <see cref="NpgsqlDataSource"/> for <c>ConnectionStrings:{connectionName}</c> with a readiness
    /// check named <c>{connectionName}_check</c>, like Aspire.Npgsql's <c>AddNpgsqlDataSource</c>.
    /// Npgsql emits its own spans and metrics (source and meter <c>Npgsql</c>).
    /// </summary>
    public static TBuilder AddNpgsqlDataSource<TBuilder>(this TBuilder builder, string connectionName) where TBuilder : IHostApplicationBuilder
    {
        var connectionString = builder.Configuration.GetRequiredConnectionString(connectionName);
        builder.Services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString)
        {
            Name = connectionName,
        }.Build());
        builder.Services.AddHealthChecks().Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
            $"{connectionName}_check",
            services => new NpgsqlHealthCheck(services.GetRequiredService<NpgsqlDataSource>()),
            failureStatus: null,
            tags: ["ready", "postgres"],
            timeout: TimeSpan.FromSeconds(3)));
        return builder;
    }

    /// <summary>
    /// Applies the SQL migrations embedded in <paramref name="migrationsAssembly"/> (resources ending in <c>.sql</c>
    /// under a <c>Migrations</c> folder) when the service starts, before it accepts requests.
    /// </summary>
    public static TBuilder AddSchemaMigrations<TBuilder>(this TBuilder builder, Assembly migrationsAssembly) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddSingleton(services => new SchemaMigrator(
            services.GetRequiredService<NpgsqlDataSource>(),
            migrationsAssembly,
            services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<SchemaMigrator>>()));
        builder.Services.AddHostedService<SchemaMigrationHostedService>();
        return builder;
    }
}
