namespace OrderSystem.AppHost.Infrastructure;

/// <summary>
/// The folder for what the local processes keep between runs (PostgreSQL's data) and for endpoints.json:
/// <c>ORDERSYSTEM_STATE_DIR</c> when set, else <c>.ordersystem</c> at the repository root.
/// </summary>
public static class StateDirectory
{
    public const string EnvironmentVariable = "ORDERSYSTEM_STATE_DIR";

    public static string Get(IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var path = builder.Configuration[EnvironmentVariable] is { Length: > 0 } configured
            ? configured
            : Path.Combine(builder.AppHostDirectory, "..", ".ordersystem");
        return Directory.CreateDirectory(Path.GetFullPath(path)).FullName;
    }

    public static string ForResource(IDistributedApplicationBuilder builder, string resourceName) =>
        Directory.CreateDirectory(Path.Combine(Get(builder), resourceName)).FullName;
}
