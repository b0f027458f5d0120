using System.Text.Json;
using System.Text.RegularExpressions;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Platform;

/// <summary>The AppHost publishes Aspire's deployment manifest the way azd asks for it.</summary>
public sealed partial class ManifestTests
{
    [Fact]
    public async Task Publishes_the_model_as_an_aspire_manifest()
    {
        var output = Directory.CreateTempSubdirectory("ordersystem-manifest-").FullName;
        try
        {
            await using var appHost = DistributedApplication.LaunchAppHost(output, arguments: ["--publisher", "manifest", "--output-path", output]);
            Assert.Equal(0, await appHost.Exited.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));

            using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "aspire-manifest.json"), TestContext.Current.CancellationToken));
            var root = manifest.RootElement;
            Assert.Equal("https://json.schemastore.org/aspire-8.0.json", root.GetProperty("$schema").GetString());
            var resources = root.GetProperty("resources");

            Assert.Equal("container.v0", Type(resources, "postgres"));
            Assert.Equal("Host={postgres.bindings.tcp.host};Port={postgres.bindings.tcp.port};Username=postgres;Password={postgres-password.value}",
                resources.GetProperty("postgres").GetProperty("connectionString").GetString());
            Assert.Equal("value.v0", Type(resources, "ordersdb"));
            Assert.Equal("{postgres.connectionString};Database=ordersdb", resources.GetProperty("ordersdb").GetProperty("connectionString").GetString());
            Assert.Equal("{cache.bindings.tcp.host}:{cache.bindings.tcp.port},password={cache-password.value}", resources.GetProperty("cache").GetProperty("connectionString").GetString());
            Assert.Equal("{messaging.bindings.tcp.host}:{messaging.bindings.tcp.port}", resources.GetProperty("messaging").GetProperty("connectionString").GetString());
            Assert.Equal("parameter.v0", Type(resources, "gateway-api-key"));
            Assert.False(resources.TryGetProperty("dashboard", out _), "the dashboard is local only");

            var orders = resources.GetProperty("orders");
            Assert.Equal("project.v0", orders.GetProperty("type").GetString());
            Assert.Equal(Path.Combine(TestRepository.Root, "Orders", "Orders.csproj"), Path.GetFullPath(Path.Combine(output, orders.GetProperty("path").GetString()!)));
            var env = orders.GetProperty("env");
            Assert.Equal("{ordersdb.connectionString}", env.GetProperty("ConnectionStrings__ordersdb").GetString());
            Assert.Equal("{inventory.bindings.grpc.url}", env.GetProperty("services__inventory__grpc__0").GetString());
            Assert.Equal("http2", orders.GetProperty("bindings").GetProperty("grpc").GetProperty("transport").GetString());
            Assert.True(resources.GetProperty("gateway").GetProperty("bindings").GetProperty("http").GetProperty("external").GetBoolean());
            Assert.Equal("{gateway-api-key.value}", resources.GetProperty("gateway").GetProperty("env").GetProperty("Authentication__ApiKeys__0").GetString());

            // Every expression refers to a resource the manifest declares.
            var declared = resources.EnumerateObject().Select(p => p.Name).ToHashSet();
            foreach (Match expression in Expression().Matches(root.GetRawText()))
            {
                Assert.Contains(expression.Groups["resource"].Value, declared);
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static string? Type(JsonElement resources, string name) => resources.GetProperty(name).GetProperty("type").GetString();

    [GeneratedRegex(@"\{(?<resource>[a-z][a-z0-9-]*)\.(connectionString|bindings|value|inputs)")]
    private static partial Regex Expression();
}
