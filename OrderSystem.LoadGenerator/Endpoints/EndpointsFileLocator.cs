namespace OrderSystem.LoadGenerator.Endpoints;

/// <summary>
/// Finds the <c>endpoints.json</c> the AppHost writes when the system is up: in <c>$ORDERSYSTEM_STATE_DIR</c> when
/// that is set (the AppHost writes there then), else in the first <c>.ordersystem/</c> folder from the current
/// directory upwards.
/// </summary>
public static class EndpointsFileLocator
{
    public const string FileName = "endpoints.json";
    public const string StateFolderName = ".ordersystem";
    public const string StateDirectoryVariable = "ORDERSYSTEM_STATE_DIR";

    /// <summary>The file's path, or null when there is none.</summary>
    public static string? Find(string startDirectory, string? stateDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(startDirectory);
        if (!string.IsNullOrEmpty(stateDirectory))
        {
            var configured = Path.Combine(stateDirectory, FileName);
            return File.Exists(configured) ? Path.GetFullPath(configured) : null;
        }

        for (var directory = new DirectoryInfo(startDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, StateFolderName, FileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
