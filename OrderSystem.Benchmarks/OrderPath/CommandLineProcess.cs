using System.Diagnostics;

namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>A command run to its end (<c>dotnet build</c>, <c>git</c>), its output kept for the error when it fails.</summary>
public static class CommandLineProcess
{
    /// <returns>What it wrote to standard output.</returns>
    /// <exception cref="InvalidOperationException">It exited with a code other than 0.</exception>
    public static async Task<string> RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"cannot start {fileName}");
        // Ctrl-C must not leave a build running beside the next run.
        using var killOnCancel = cancellationToken.Register(() => process.Kill(entireProcessTree: true));
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} failed (exit code {process.ExitCode}):\n{await output.ConfigureAwait(false)}{await error.ConfigureAwait(false)}");
        }

        return await output.ConfigureAwait(false);
    }
}
