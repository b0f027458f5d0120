using System.Diagnostics;

namespace OrderSystem.AppHost.Infrastructure;

/// <summary>How PostgreSQL, Redis and Kafka are run: as Aspire's container resources, or as local processes.</summary>
public enum InfrastructureBacking
{
    Containers,
    Processes,
}

public static class InfrastructureBackingExtensions
{
    /// <summary>Overrides the automatic choice: <c>Containers</c> or <c>Processes</c>.</summary>
    public const string ConfigurationKey = "OrderSystem:Infrastructure";

    /// <summary>
    /// Containers when publishing (the manifest must name images) or when a container runtime answers; otherwise local
    /// processes, because DCP leaves container resources unhealthy for ever without an engine and every service would wait.
    /// </summary>
    public static InfrastructureBacking GetInfrastructureBacking(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Configuration[ConfigurationKey] is { Length: > 0 } configured)
        {
            return Enum.TryParse<InfrastructureBacking>(configured, ignoreCase: true, out var backing)
                ? backing
                : throw new DistributedApplicationException($"{ConfigurationKey} is '{configured}': use Containers or Processes.");
        }

        return builder.ExecutionContext.IsPublishMode || ContainerRuntimeAnswers(builder.Configuration["ASPIRE_CONTAINER_RUNTIME"] ?? "docker")
            ? InfrastructureBacking.Containers
            : InfrastructureBacking.Processes;
    }

    private static bool ContainerRuntimeAnswers(string runtime)
    {
        try
        {
            using var info = Process.Start(new ProcessStartInfo(runtime, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (info is null)
            {
                return false;
            }

            // The client answers at once when no engine listens; a live engine answers within a second or two.
            if (!info.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                info.Kill(entireProcessTree: true);
                return false;
            }

            return info.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no such program
        }
    }
}
