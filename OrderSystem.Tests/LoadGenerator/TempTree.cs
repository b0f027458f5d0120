namespace OrderSystem.Tests.LoadGenerator;

/// <summary>A temporary folder tree for endpoints.json discovery, deleted on dispose.</summary>
public sealed class TempTree : IDisposable
{
    public TempTree() => Root = System.IO.Directory.CreateTempSubdirectory("loadgen-tree-").FullName;

    public string Root { get; }

    public string Directory(string relative) => System.IO.Directory.CreateDirectory(Path.Combine(Root, relative)).FullName;

    /// <summary>Writes <c>{relative}/.ordersystem/endpoints.json</c> and returns its path.</summary>
    public string WriteEndpoints(string relative, string json)
    {
        var path = Path.Combine(Directory(Path.Combine(relative, ".ordersystem")), "endpoints.json");
        File.WriteAllText(path, json);
        return path;
    }

    public static string EndpointsJson(string gateway = "http://127.0.0.1:5000", string apiKey = "file-key", string dashboard = "http://127.0.0.1:18888") =>
        $$"""{ "gateway": "{{gateway}}", "dashboard": "{{dashboard}}", "apiKey": "{{apiKey}}", "resources": {} }""";

    public void Dispose() => System.IO.Directory.Delete(Root, recursive: true);
}
