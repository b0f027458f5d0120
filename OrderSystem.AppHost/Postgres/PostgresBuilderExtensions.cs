using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrderSystem.AppHost.Infrastructure;

namespace OrderSystem.AppHost.Postgres;

public static class PostgresBuilderExtensions
{
    /// <summary>How long a new run waits for a crashed run's server, which DCP stops once it sees the AppHost gone.</summary>
    private static readonly TimeSpan PreviousServerStopTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Wraps the server as a foreground process that turns DCP's SIGTERM into PostgreSQL's fast shutdown (SIGINT):
    /// a smart shutdown waits for every pooled client to leave, DCP loses patience and kills it, and the next start runs
    /// crash recovery.
    /// </summary>
    private const string FastShutdownWrapper =
        """
        "$@" &
        pid=$!
        trap 'kill -INT "$pid" 2>/dev/null' TERM INT
        status=0
        while kill -0 "$pid" 2>/dev/null; do wait "$pid"; status=$?; done
        exit "$status"
        """;

    /// <summary>The <c>postgres</c> resource: Aspire's container, or PostgreSQL from Debian as a local process.</summary>
    public static PostgresServer AddPostgresServer(this IDistributedApplicationBuilder builder, string name, InfrastructureBacking backing)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var readerPassword = builder.AddParameter($"{name}-reader-password", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true)
            .ExcludeFromManifest().Resource;
        if (backing == InfrastructureBacking.Containers)
        {
            var container = builder.AddPostgres(name).WithDataVolume();
            var containerReader = new PostgresReaderRole(
                readerPassword,
                container.Resource.PrimaryEndpoint,
                async cancellationToken => await container.Resource.ConnectionStringExpression.GetValueAsync(cancellationToken) ?? string.Empty);
            return new PostgresServer(container, database => container.AddDatabase(database), containerReader);
        }

        var local = builder.AddLocalPostgres(name);
        var localReader = new PostgresReaderRole(readerPassword, local.Resource.PrimaryEndpoint, local.Resource.GetSocketConnectionStringAsync);
        return new PostgresServer(local, database => local.AddDatabase(database), localReader);
    }

    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(this IDistributedApplicationBuilder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var binDirectory = FindBinDirectory();
        var password = ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password", special: false);
        var server = new LocalPostgresServerResource(name, LocalProcess.IsRoot ? "setpriv" : "sh", StateDirectory.ForResource(builder, name), password);

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey, _ => new NpgsqlSessionHealthCheck(server.GetSocketConnectionStringAsync), failureStatus: null, tags: null));

        return builder.AddResource(server)
            // Not proxied: through DCP's proxy, clients' pooled connections outlived a restarted server and hung.
            .WithEndpoint(name: LocalPostgresServerResource.PrimaryEndpointName, scheme: "tcp", isProxied: false)
            .WithArgs(context =>
            {
                var (_, wrapper) = LocalProcess.AsUser(LocalPostgresServerResource.UserName, "sh", ["-c", FastShutdownWrapper, "postgres"]);
                foreach (var argument in wrapper)
                {
                    context.Args.Add(argument);
                }

                context.Args.Add(Path.Combine(binDirectory, "postgres"));
                context.Args.Add("-D");
                context.Args.Add(server.DataDirectory);
                context.Args.Add("-k");
                context.Args.Add(server.SocketDirectory);
                context.Args.Add("-h");
                context.Args.Add("127.0.0.1");
                context.Args.Add("-p");
                context.Args.Add(server.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
                // Every service's pool, plus the tools a person opens.
                context.Args.Add("-c");
                context.Args.Add("max_connections=300");
            })
            .WithIconName("DatabaseMultiple")
            .WithHealthCheck(healthCheckKey)
            .OnBeforeResourceStarted((resource, @event, cancellationToken) => PrepareClusterAsync(resource, binDirectory, @event.Services, cancellationToken))
            .OnResourceReady((resource, @event, cancellationToken) => ConfigureClusterAsync(resource, @event.Services, cancellationToken));
    }

    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(this IResourceBuilder<LocalPostgresServerResource> builder, string name, string? databaseName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var database = new LocalPostgresDatabaseResource(name, databaseName ?? name, builder.Resource);
        builder.Resource.AddDatabase(name, database.DatabaseName);

        var healthCheckKey = $"{name}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey,
            _ => new NpgsqlSessionHealthCheck(async cancellationToken =>
                await database.ConnectionStringExpression.GetValueAsync(cancellationToken) + ";Pooling=false;Timeout=5"),
            failureStatus: null,
            tags: null));
        return builder.ApplicationBuilder.AddResource(database)
            .WithIconName("Database")
            .WithHealthCheck(healthCheckKey)
            .OnInitializeResource((resource, @event, cancellationToken) => FollowServerStateAsync(resource, @event.Notifications, cancellationToken));
    }

    /// <summary>
    /// A database has no process of its own: it is up when its server is. Aspire passes a container's state on to its
    /// databases, but not an executable's, so the local server's databases follow it here.
    /// </summary>
    private static async Task FollowServerStateAsync(LocalPostgresDatabaseResource database, ResourceNotificationService notifications, CancellationToken cancellationToken)
    {
        await foreach (var change in notifications.WatchAsync(cancellationToken))
        {
            if (change.Resource != database.Parent)
            {
                continue;
            }

            var server = change.Snapshot;
            await notifications.PublishUpdateAsync(database, snapshot => snapshot with
            {
                State = server.State,
                StartTimeStamp = server.StartTimeStamp,
                StopTimeStamp = server.StopTimeStamp,
            });
        }
    }

    /// <summary>Creates the cluster on first start, and clears what a killed server left behind.</summary>
    private static async Task PrepareClusterAsync(LocalPostgresServerResource server, string binDirectory, IServiceProvider services, CancellationToken cancellationToken)
    {
        var log = services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
        Directory.CreateDirectory(server.SocketDirectory);
        await RemoveStaleLockFileAsync(server.DataDirectory, log, cancellationToken);
        if (!File.Exists(Path.Combine(server.DataDirectory, "PG_VERSION")))
        {
            log.LogInformation("Creating a new cluster in {DataDirectory}", server.DataDirectory);
            Directory.CreateDirectory(server.DataDirectory);
            var passwordFile = Path.Combine(server.WorkingDirectory, "initdb-password");
            await File.WriteAllTextAsync(passwordFile, await server.PasswordParameter.GetValueAsync(cancellationToken), cancellationToken);
            try
            {
                await LocalProcess.ChownAsync(server.WorkingDirectory, LocalPostgresServerResource.UserName, cancellationToken);
                await LocalProcess.RunAsync(
                    Path.Combine(binDirectory, "initdb"),
                    ["-D", server.DataDirectory, "-U", LocalPostgresServerResource.UserName, "--auth-local=trust", "--auth-host=scram-sha-256",
                     $"--pwfile={passwordFile}", "-E", "UTF8", "--locale=C", "--no-sync"],
                    LocalPostgresServerResource.UserName,
                    log,
                    cancellationToken);
            }
            finally
            {
                File.Delete(passwordFile);
            }
        }

        await LocalProcess.ChownAsync(server.WorkingDirectory, LocalPostgresServerResource.UserName, cancellationToken);
    }

    /// <summary>
    /// Gives the superuser the password the services are given (it may have been generated anew since the cluster was
    /// created) and creates the databases, as Aspire's AddDatabase does once its server is ready.
    /// </summary>
    private static async Task ConfigureClusterAsync(LocalPostgresServerResource server, IServiceProvider services, CancellationToken cancellationToken)
    {
        var log = services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
        await using var dataSource = UntracedNpgsql.CreateDataSource(await server.GetSocketConnectionStringAsync(cancellationToken));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        var password = await server.PasswordParameter.GetValueAsync(cancellationToken) ?? string.Empty;
        await using (var alter = new NpgsqlCommand($"ALTER ROLE {LocalPostgresServerResource.UserName} PASSWORD '{password.Replace("'", "''", StringComparison.Ordinal)}'", connection))
        {
            await alter.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var databaseName in server.Databases.Values)
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = databaseName } } };
            if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
            {
                continue;
            }

            log.LogInformation("Creating database {DatabaseName}", databaseName);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{databaseName.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// A killed postmaster leaves its pid file; if that pid now belongs to another program, PostgreSQL would refuse to
    /// start. After the AppHost itself was killed, DCP stops the old server within seconds: wait for that rather than fail.
    /// </summary>
    private static async Task RemoveStaleLockFileAsync(string dataDirectory, ILogger log, CancellationToken cancellationToken)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid))
        {
            return;
        }

        var deadline = TimeProvider.System.GetUtcNow() + PreviousServerStopTimeout;
        while (IsPostgres(pid))
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new DistributedApplicationException($"a PostgreSQL server (pid {pid}) still runs on {dataDirectory}: stop it (kill -INT {pid}) and start again");
            }

            log.LogInformation("Waiting for the previous run's PostgreSQL (pid {Pid}) to stop", pid);
            await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System, cancellationToken);
        }

        if (File.Exists(pidFile))
        {
            log.LogWarning("Removing the stale lock file of PostgreSQL pid {Pid}, which no longer runs", pid);
            File.Delete(pidFile);
        }
    }

    private static bool IsPostgres(int pid)
    {
        var command = $"/proc/{pid}/comm";
        try
        {
            return File.Exists(command) && File.ReadAllText(command).Trim() == "postgres";
        }
        catch (IOException)
        {
            return false; // it exited between the two calls
        }
    }

    private static string FindBinDirectory() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "postgres")))
                .OrderByDescending(bin => bin, StringComparer.Ordinal)
                .FirstOrDefault() ?? throw MissingServer()
            : throw MissingServer();

    private static DistributedApplicationException MissingServer() =>
        new("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres): install Debian's postgresql package, or run with containers (OrderSystem:Infrastructure=Containers).");
}
