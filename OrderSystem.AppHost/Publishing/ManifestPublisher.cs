using System.Text.Json;
using System.Text.Json.Nodes;
using OrderSystem.AppHost.Hosting;

namespace OrderSystem.AppHost.Publishing;

/// <summary>
/// Writes Aspire's deployment manifest (schema aspire-8.0.json) so azd and other tools can deploy the same model:
/// PostgreSQL, Redis and Kafka become their container images, projects become <c>project.v0</c> with the
/// environment and bindings the references imply. Local-only resources (the dashboard) are left out.
/// </summary>
public static class ManifestPublisher
{
    public static bool TryGetOutputPath(string[] args, out string outputPath)
    {
        var publisher = ValueOf(args, "--publisher");
        outputPath = ValueOf(args, "--output-path") ?? Directory.GetCurrentDirectory();
        if (!outputPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            outputPath = Path.Combine(outputPath, "aspire-manifest.json");
        }

        return publisher == "manifest";
    }

    public static async Task<string> WriteAsync(IReadOnlyList<Resource> resources, string outputPath, CancellationToken cancellationToken)
    {
        var manifestDirectory = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
        var entries = new JsonObject();
        foreach (var resource in resources.Where(r => !r.ExcludedFromManifest))
        {
            entries[resource.Name] = Describe(resource, manifestDirectory);
        }

        var manifest = new JsonObject
        {
            ["$schema"] = "https://json.schemastore.org/aspire-8.0.json",
            ["resources"] = entries,
        };
        Directory.CreateDirectory(manifestDirectory);
        await File.WriteAllTextAsync(outputPath, manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        return outputPath;
    }

    private static JsonObject Describe(Resource resource, string manifestDirectory) => resource switch
    {
        ParameterResource parameter => new JsonObject
        {
            ["type"] = "parameter.v0",
            ["value"] = $"{{{parameter.Name}.inputs.value}}",
            ["inputs"] = new JsonObject
            {
                ["value"] = new JsonObject
                {
                    ["type"] = "string",
                    ["secret"] = parameter.Secret,
                    ["default"] = new JsonObject { ["generate"] = new JsonObject { ["minLength"] = 22, ["special"] = false } },
                },
            },
        },
        PostgresServerResource postgres => Container(postgres, "docker.io/library/postgres:17.6", new JsonObject
        {
            ["POSTGRES_HOST_AUTH_METHOD"] = "scram-sha-256",
            ["POSTGRES_INITDB_ARGS"] = "--auth-host=scram-sha-256 --auth-local=scram-sha-256",
            ["POSTGRES_USER"] = PostgresServerResource.UserName,
            ["POSTGRES_PASSWORD"] = $"{{{postgres.Password.Name}.value}}",
        }),
        PostgresDatabaseResource database => new JsonObject { ["type"] = "value.v0", ["connectionString"] = database.ConnectionStringExpression },
        RedisResource redis => Container(redis, "docker.io/library/redis:8.2", new JsonObject { ["REDIS_PASSWORD"] = $"{{{redis.Password.Name}.value}}" },
            ["-c", "redis-server --requirepass $REDIS_PASSWORD"], entrypoint: "/bin/sh"),
        KafkaServerResource kafka => Container(kafka, "docker.io/confluentinc/confluent-local:8.1.0", new JsonObject
        {
            ["KAFKA_LISTENERS"] = "PLAINTEXT://0.0.0.0:29092,CONTROLLER://0.0.0.0:29093,PLAINTEXT_HOST://0.0.0.0:9092,PLAINTEXT_INTERNAL://0.0.0.0:9093",
            ["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"] = "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,PLAINTEXT_HOST:PLAINTEXT,PLAINTEXT_INTERNAL:PLAINTEXT",
            ["KAFKA_ADVERTISED_LISTENERS"] = $"PLAINTEXT://{kafka.Name}:29092,PLAINTEXT_HOST://{{{kafka.Name}.bindings.tcp.host}}:{{{kafka.Name}.bindings.tcp.port}},PLAINTEXT_INTERNAL://{{{kafka.Name}.bindings.internal.host}}:{{{kafka.Name}.bindings.internal.port}}",
        }, extraBindings: new JsonObject { ["internal"] = Binding("tcp", "tcp", 9093, external: false) }),
        ProjectResource project => Project(project, manifestDirectory),
        _ => throw new InvalidOperationException($"resource '{resource.Name}' of type {resource.GetType().Name} has no manifest form"),
    };

    private static JsonObject Container(Resource resource, string image, JsonObject env, string[]? args = null, string? entrypoint = null, JsonObject? extraBindings = null)
    {
        var bindings = new JsonObject();
        foreach (var endpoint in resource.Endpoints)
        {
            bindings[endpoint.Name] = Binding(endpoint.Scheme, endpoint.Transport, endpoint.TargetPort, endpoint.IsExternal);
        }

        foreach (var (name, binding) in extraBindings ?? [])
        {
            bindings[name] = binding!.DeepClone();
        }

        var container = new JsonObject { ["type"] = "container.v0" };
        if (resource is IResourceWithConnectionString withConnectionString)
        {
            container["connectionString"] = withConnectionString.ConnectionStringExpression;
        }

        container["image"] = image;
        if (entrypoint is not null)
        {
            container["entrypoint"] = entrypoint;
        }

        if (args is not null)
        {
            container["args"] = new JsonArray(args.Select(a => (JsonNode)a!).ToArray());
        }

        container["env"] = env;
        container["bindings"] = bindings;
        return container;
    }

    private static JsonObject Project(ProjectResource project, string manifestDirectory)
    {
        var env = new JsonObject
        {
            ["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES"] = "true",
            ["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES"] = "true",
            ["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory",
            ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
        };
        var bindings = new JsonObject();
        foreach (var endpoint in project.Endpoints)
        {
            bindings[endpoint.Name] = Binding(endpoint.Scheme, endpoint.Transport, targetPort: null, endpoint.IsExternal);
            env[$"Kestrel__Endpoints__{endpoint.Name}__Url"] = $"{endpoint.Scheme}://+:{{{project.Name}.bindings.{endpoint.Name}.targetPort}}";
            if (endpoint.Transport == "http2")
            {
                env[$"Kestrel__Endpoints__{endpoint.Name}__Protocols"] = "Http2";
            }
        }

        var context = new EnvironmentContext(project, isPublishMode: true);
        foreach (var callback in project.EnvironmentCallbacks)
        {
            callback(context);
        }

        foreach (var (name, value) in context.Variables)
        {
            env[name] = value;
        }

        return new JsonObject
        {
            ["type"] = "project.v0",
            ["path"] = Path.GetRelativePath(manifestDirectory, project.Metadata.ProjectPath),
            ["env"] = env,
            ["bindings"] = bindings,
        };
    }

    private static JsonObject Binding(string scheme, string transport, int? targetPort, bool external)
    {
        var binding = new JsonObject { ["scheme"] = scheme, ["protocol"] = "tcp", ["transport"] = transport };
        if (targetPort is not null)
        {
            binding["targetPort"] = targetPort;
        }

        if (external)
        {
            binding["external"] = true;
        }

        return binding;
    }

    private static string? ValueOf(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
