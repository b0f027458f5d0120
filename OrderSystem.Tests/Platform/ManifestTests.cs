using System.Text.Json;
using System.Text.RegularExpressions;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Platform;

/// <summary>
/// The AppHost publishes Aspire's deployment manifest the way azd asks for it, and azd can take every resource in it
/// (the rules are azd's: cli/azd/pkg/apphost/generate.go and aca_ingress.go; docs/deploy.md says what each becomes).
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class ManifestTests(ManifestTests.PublishedManifest manifest) : IClassFixture<ManifestTests.PublishedManifest>
{
    private static readonly string[] Containers = ["postgres", "cache", "messaging"];
    private static readonly string[] Databases = ["ordersdb", "inventorydb", "paymentsdb", "notificationsdb"];
    private static readonly string[] SecretParameters = ["gateway-api-key", "postgres-password", "cache-password"];

    // What azd's generator loads; any other type fails `azd up` with "unsupported resource type".
    private static readonly string[] AzdResourceTypes =
        ["project.v0", "project.v1", "container.v0", "container.v1", "dockerfile.v0", "parameter.v0", "value.v0", "annotated.string", "dapr.v0", "dapr.component.v0"];

    // The binding schemes azd can map to Container Apps ingress.
    private static readonly string[] AzdBindingSchemes = ["http", "https", "tcp"];

    private readonly PublishedManifest _manifest = manifest;

    private JsonElement Resources => _manifest.Resources;

    [Fact]
    public void Every_resource_has_a_type_azd_deploys_and_nothing_runs_as_a_local_executable()
    {
        Assert.All(Resources.EnumerateObject(), resource => Assert.Contains(Type(resource.Value), AzdResourceTypes));

        // Local only: the diagnostics service, and the local Kafka broker that stands in for the container without an engine.
        Assert.False(Resources.TryGetProperty("diagnostics", out _), "the diagnostics service is local only");
        Assert.DoesNotContain(Resources.EnumerateObject(), resource =>
            resource.Value.TryGetProperty("path", out var path) && path.GetString()!.Contains("KafkaBroker", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_service_is_a_project_built_from_its_csproj()
    {
        foreach (var name in Topology.Services)
        {
            var service = Resources.GetProperty(name);
            Assert.Equal("project.v0", Type(service));
            var project = char.ToUpperInvariant(name[0]) + name[1..];
            Assert.Equal(
                Path.Combine(TestRepository.Root, project, project + ".csproj"),
                Path.GetFullPath(Path.Combine(_manifest.OutputDirectory, service.GetProperty("path").GetString()!)));
        }
    }

    [Fact]
    public void Postgres_redis_and_kafka_are_containers_with_images_and_data_volumes()
    {
        foreach (var name in Containers)
        {
            var container = Resources.GetProperty(name);
            Assert.Equal("container.v0", Type(container));
            Assert.Matches(@"^[a-z0-9./-]+(:[\w.-]+)?$", container.GetProperty("image").GetString());
            var volume = Assert.Single(container.GetProperty("volumes").EnumerateArray());
            Assert.False(string.IsNullOrEmpty(volume.GetProperty("name").GetString()), $"{name}'s volume has no name");
            Assert.StartsWith("/", volume.GetProperty("target").GetString(), StringComparison.Ordinal);
            Assert.False(volume.GetProperty("readOnly").GetBoolean(), $"{name} cannot write its data volume");
        }

        Assert.Equal("Host={postgres.bindings.tcp.host};Port={postgres.bindings.tcp.port};Username=postgres;Password={postgres-password.value}",
            ConnectionString("postgres"));
        Assert.StartsWith("{cache.bindings.tcp.host}:{cache.bindings.tcp.port},password={cache-password.value}", ConnectionString("cache"), StringComparison.Ordinal);
        Assert.Equal("{messaging.bindings.tcp.host}:{messaging.bindings.tcp.port}", ConnectionString("messaging"));
    }

    [Fact]
    public void The_databases_are_values_on_the_postgres_container()
    {
        foreach (var name in Databases)
        {
            Assert.Equal("value.v0", Type(Resources.GetProperty(name)));
            Assert.Equal($"{{postgres.connectionString}};Database={name}", ConnectionString(name));
        }
    }

    [Fact]
    public void The_api_key_and_the_passwords_are_generated_secret_parameters()
    {
        foreach (var name in SecretParameters)
        {
            var parameter = Resources.GetProperty(name);
            Assert.Equal("parameter.v0", Type(parameter));
            Assert.Equal($"{{{name}.inputs.value}}", parameter.GetProperty("value").GetString());
            var input = parameter.GetProperty("inputs").GetProperty("value");
            Assert.True(input.GetProperty("secret").GetBoolean(), $"{name} is not secret");
            Assert.True(input.GetProperty("default").TryGetProperty("generate", out _), $"{name} has no generated default");
        }

        Assert.Equal("{gateway-api-key.value}", Env("gateway", "Authentication__ApiKeys__0"));
    }

    [Fact]
    public void Services_get_their_connection_strings_and_peers_from_the_manifest()
    {
        Assert.Equal("{ordersdb.connectionString}", Env("orders", "ConnectionStrings__ordersdb"));
        Assert.Equal("{cache.connectionString}", Env("orders", "ConnectionStrings__cache"));
        Assert.Equal("{messaging.connectionString}", Env("orders", "ConnectionStrings__messaging"));
        Assert.Equal("{inventory.bindings.grpc.url}", Env("orders", "services__inventory__grpc__0"));
        Assert.Equal("{payments.bindings.http.url}", Env("orders", "services__payments__http__0"));
        Assert.Equal("{inventorydb.connectionString}", Env("inventory", "ConnectionStrings__inventorydb"));
        Assert.Equal("{cache.connectionString}", Env("inventory", "ConnectionStrings__cache"));
        Assert.Equal("{paymentsdb.connectionString}", Env("payments", "ConnectionStrings__paymentsdb"));
        Assert.Equal("{notificationsdb.connectionString}", Env("notifications", "ConnectionStrings__notificationsdb"));
        Assert.Equal("{messaging.connectionString}", Env("notifications", "ConnectionStrings__messaging"));
        Assert.Equal("{orders.bindings.grpc.url}", Env("gateway", "services__orders__grpc__0"));
        Assert.Equal("{inventory.bindings.grpc.url}", Env("gateway", "services__inventory__grpc__0"));
        Assert.Equal("{notifications.bindings.http.url}", Env("gateway", "services__notifications__http__0"));
    }

    [Fact]
    public void Only_the_gateway_is_reachable_from_outside()
    {
        foreach (var resource in Resources.EnumerateObject().Where(resource => resource.Value.TryGetProperty("bindings", out _)))
        {
            foreach (var binding in resource.Value.GetProperty("bindings").EnumerateObject())
            {
                Assert.Contains(binding.Value.GetProperty("scheme").GetString(), AzdBindingSchemes);
                var external = binding.Value.TryGetProperty("external", out var flag) && flag.GetBoolean();
                Assert.True(external == (resource.Name == "gateway" && binding.Value.GetProperty("scheme").GetString() is "http" or "https"),
                    $"{resource.Name}'s {binding.Name} binding: external={external}");
            }
        }
    }

    [Fact]
    public void The_grpc_endpoints_are_cleartext_http2_on_the_port_kestrel_listens_on()
    {
        foreach (var name in (string[])["orders", "inventory"])
        {
            var grpc = Resources.GetProperty(name).GetProperty("bindings").GetProperty("grpc");
            Assert.Equal("http", grpc.GetProperty("scheme").GetString());
            Assert.Equal("http2", grpc.GetProperty("transport").GetString());
            Assert.True(grpc.TryGetProperty("targetPort", out _), $"{name}'s grpc binding has no targetPort: it would share the http port");

            // Kestrel listens on every interface of the container, on the ports the bindings name.
            Assert.Equal($"http://*:{{{name}.bindings.grpc.targetPort}}", Env(name, "Kestrel__Endpoints__grpc__Url"));
            Assert.Equal("Http2", Env(name, "Kestrel__Endpoints__grpc__Protocols"));
            Assert.Equal($"http://*:{{{name}.bindings.http.targetPort}}", Env(name, "Kestrel__Endpoints__http__Url"));
            Assert.Equal("Http1", Env(name, "Kestrel__Endpoints__http__Protocols"));
        }
    }

    [Fact]
    public void Every_expression_refers_to_a_declared_resource_and_binding()
    {
        foreach (var resource in Resources.EnumerateObject())
        {
            foreach (Match candidate in AnyExpression().Matches(resource.Value.GetRawText()))
            {
                var expression = Expression().Match(candidate.Value);
                Assert.True(expression.Success, $"{resource.Name} holds {candidate.Value}, which azd cannot resolve");
                var target = expression.Groups["resource"].Value;
                Assert.True(Resources.TryGetProperty(target, out var referenced), $"{resource.Name} refers to undeclared {expression.Value}");
                if (expression.Groups["binding"].Success)
                {
                    Assert.True(referenced.GetProperty("bindings").TryGetProperty(expression.Groups["binding"].Value, out _),
                        $"{resource.Name} refers to undeclared binding {expression.Value}");
                }
            }
        }
    }

    private static string? Type(JsonElement resource) => resource.GetProperty("type").GetString();

    private string? ConnectionString(string resource) => Resources.GetProperty(resource).GetProperty("connectionString").GetString();

    private string? Env(string resource, string variable) => Resources.GetProperty(resource).GetProperty("env").GetProperty(variable).GetString();

    [GeneratedRegex(@"\{[a-z][a-z0-9-]*\.[^{}]*\}")]
    private static partial Regex AnyExpression();

    [GeneratedRegex(@"^\{(?<resource>[a-z][a-z0-9-]*)\.(connectionString|value|inputs\.[a-z]+|bindings\.(?<binding>[a-z0-9-]+)\.(url|host|port|targetPort|scheme))\}$")]
    private static partial Regex Expression();

    /// <summary>The manifest, published once for the class as azd publishes it: from the AppHost's build output, with DOTNET_ENVIRONMENT.</summary>
    public sealed class PublishedManifest : IAsyncLifetime
    {
        public string OutputDirectory { get; } = Directory.CreateTempSubdirectory("ordersystem-manifest-").FullName;

        public JsonElement Resources { get; private set; }

        public async ValueTask InitializeAsync()
        {
            await using var appHost = ChildProcess.Start(
                TestRepository.DotnetHost,
                [TestRepository.AppHostAssembly, "--publisher", "manifest", "--output-path", OutputDirectory],
                new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = "Development" },
                AppHostProcess.ProjectDirectory);
            var exitCode = await appHost.Exited.WaitAsync(TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken);
            Assert.True(exitCode == 0, $"publishing exited with code {exitCode}:{Environment.NewLine}{appHost.OutputText}");

            using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(OutputDirectory, "aspire-manifest.json"), TestContext.Current.CancellationToken));
            Resources = manifest.RootElement.GetProperty("resources").Clone();
        }

        public ValueTask DisposeAsync()
        {
            Directory.Delete(OutputDirectory, recursive: true);
            return ValueTask.CompletedTask;
        }
    }
}
