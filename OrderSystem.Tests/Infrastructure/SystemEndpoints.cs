using System.Text.Json;

namespace OrderSystem.Tests.Infrastructure;

/// <summary>The AppHost's <c>endpoints.json</c>: where every resource of a running topology is.</summary>
public sealed class SystemEndpoints(JsonElement document)
{
    public Uri Gateway => new(document.GetProperty("gateway").GetString()!);

    public Uri Dashboard => new(document.GetProperty("dashboard").GetString()!);

    public Uri Otlp => new(document.GetProperty("otlp").GetString()!);

    public Uri AppHost => new(document.GetProperty("appHost").GetString()!);

    /// <summary>The AppHost process that wrote the file.</summary>
    public int Pid => document.GetProperty("pid").GetInt32();

    public string ApiKey => document.GetProperty("apiKey").GetString()!;

    public IEnumerable<string> ResourceNames => document.GetProperty("resources").EnumerateObject().Select(p => p.Name);

    public Uri GetEndpoint(string resource, string endpoint = "http") =>
        new(Resource(resource).GetProperty(endpoint).GetString()!);

    public string GetConnectionString(string resource) =>
        Resource(resource).GetProperty("connectionString").GetString()!;

    public static SystemEndpoints Load(string path)
    {
        using var stream = File.OpenRead(path);
        return new SystemEndpoints(JsonDocument.Parse(stream).RootElement.Clone());
    }

    private JsonElement Resource(string name) =>
        document.GetProperty("resources").TryGetProperty(name, out var resource)
            ? resource
            : throw new KeyNotFoundException($"no resource '{name}' in endpoints.json");
}
