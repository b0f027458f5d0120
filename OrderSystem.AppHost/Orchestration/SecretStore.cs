using System.Text.Json;

namespace OrderSystem.AppHost.Orchestration;

/// <summary>Generated secrets kept between runs (readable by the owner only), like Aspire's parameters in user secrets.</summary>
public sealed class SecretStore(string path)
{
    private readonly Lock _gate = new();

    public string GetOrCreate(string name, Func<string> generate)
    {
        lock (_gate)
        {
            var secrets = File.Exists(path)
                ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)) ?? []
                : [];
            if (secrets.TryGetValue(name, out var existing))
            {
                return existing;
            }

            secrets[name] = generate();
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, JsonSerializer.Serialize(secrets, new JsonSerializerOptions { WriteIndented = true }));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            return secrets[name];
        }
    }
}
