using Microsoft.Extensions.Configuration;

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
}
