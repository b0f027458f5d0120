namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>The repository this benchmark was built from: the folder above its build output that holds OrderSystem.sln.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OrderSystem.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no OrderSystem.sln above {AppContext.BaseDirectory}");
    }
}
