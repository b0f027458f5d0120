using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using OrderSystem.AppHost.Orchestration;

namespace OrderSystem.AppHost.Hosting;

/// <summary>Collects the application model: the resources, their endpoints, references and start ordering.</summary>
public sealed class DistributedApplicationBuilder
{
    private readonly List<Resource> _resources = [];

    internal DistributedApplicationBuilder(string[] args)
    {
        Args = args;
        Configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        State = StateDirectory.Locate(Configuration);
    }

    public string[] Args { get; }

    public IConfiguration Configuration { get; }

    /// <summary>The git-ignored folder (<c>.ordersystem/</c>) holding data directories, logs, secrets and endpoints.json.</summary>
    public StateDirectory State { get; }

    public IReadOnlyList<Resource> Resources => _resources;

    public IResourceBuilder<T> AddResource<T>(T resource) where T : Resource
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (_resources.Any(existing => existing.Name == resource.Name))
        {
            throw new InvalidOperationException($"a resource named '{resource.Name}' is already declared");
        }

        _resources.Add(resource);
        return new ResourceBuilder<T>(this, resource);
    }

    /// <summary>A secret generated on first use and kept in the state folder (<c>secrets.json</c>).</summary>
    public IResourceBuilder<ParameterResource> AddParameter(string name) =>
        AddResource(new ParameterResource(name, () => State.Secrets.GetOrCreate(name, GenerateSecret)));

    public DistributedApplication Build() => new(this);

    // Aspire's generated passwords: 22 characters, letters and digits (no characters a connection string must escape).
    private static string GenerateSecret() =>
        RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 22);
}
