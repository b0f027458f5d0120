using System.Diagnostics;

namespace OrderSystem.AppHost.Infrastructure;

/// <summary>What starting a local server process needs to know about this machine.</summary>
internal static class LocalProcess
{
    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>
    /// Runs <paramref name="program"/> to completion, its output going to the resource's console log.
    /// As root it runs as <paramref name="serviceUser"/>, since servers such as PostgreSQL refuse to run as root.
    /// </summary>
    public static async Task RunAsync(string program, IReadOnlyList<string> arguments, string? serviceUser, Microsoft.Extensions.Logging.ILogger log, CancellationToken cancellationToken)
    {
        var (command, commandArguments) = AsUser(serviceUser, program, arguments);
        using var process = new Process
        {
            StartInfo = new ProcessStartInfo(command, commandArguments) { RedirectStandardOutput = true, RedirectStandardError = true },
        };
        process.OutputDataReceived += (_, line) => Log(log, line.Data);
        process.ErrorDataReceived += (_, line) => Log(log, line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new DistributedApplicationException($"{Path.GetFileName(program)} exited with code {process.ExitCode}; its output is in the resource's console log.");
        }
    }

    /// <summary>The command and arguments that run <paramref name="program"/> as <paramref name="serviceUser"/> when this process is root.</summary>
    public static (string Command, IReadOnlyList<string> Arguments) AsUser(string? serviceUser, string program, IReadOnlyList<string> arguments) =>
        serviceUser is not null && IsRoot
            ? ("setpriv", ["--reuid", serviceUser, "--regid", serviceUser, "--init-groups", "--", program, .. arguments])
            : (program, arguments);

    public static async Task ChownAsync(string directory, string user, CancellationToken cancellationToken)
    {
        if (!IsRoot)
        {
            return;
        }

        using var chown = Process.Start("chown", ["-R", $"{user}:{user}", directory]);
        await chown.WaitForExitAsync(cancellationToken);
        if (chown.ExitCode != 0)
        {
            throw new DistributedApplicationException($"chown of {directory} to user {user} failed: is the package that creates that user installed?");
        }
    }

    private static void Log(Microsoft.Extensions.Logging.ILogger log, string? line)
    {
        if (!string.IsNullOrEmpty(line))
        {
            Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(log, "{Line}", line);
        }
    }
}
