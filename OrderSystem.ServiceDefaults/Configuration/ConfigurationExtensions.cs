using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace OrderSystem.ServiceDefaults.Configuration;

public static class ConfigurationExtensions
{
    /// <summary>Reads <c>ConnectionStrings:{name}</c> the way Aspire's client integrations do, or fails with the fix.</summary>
    public static string GetRequiredConnectionString(this IConfiguration configuration, string name)
    {
        var value = configuration.GetConnectionString(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new MissingConfigurationException(
                $"connection string '{name}' is missing: set ConnectionStrings__{name} or start the system with ./run.sh (the AppHost injects it).");
        }

        return value;
    }

    /// <summary>
    /// Stops the service at start, with one line naming the variable, when a connection string is missing. Aspire's
    /// EF Core integration only checks when the first context is made, which the migration's retries would hide.
    /// </summary>
    public static TBuilder RequireConnectionString<TBuilder>(this TBuilder builder, string name) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.GetRequiredConnectionString(name);
        return builder;
    }
}
