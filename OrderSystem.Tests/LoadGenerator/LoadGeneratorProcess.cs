using System.Text.Json;
using OrderSystem.LoadGenerator.CommandLine;
using OrderSystem.LoadGenerator.Reporting;

namespace OrderSystem.Tests.LoadGenerator;

/// <summary>What a run of the load generator's command came to; <see cref="Result"/> is read from <c>--output</c>.</summary>
public sealed record LoadGeneratorOutcome(int ExitCode, string Output, string Error, JsonElement? Result);

/// <summary>
/// Runs the load generator's command in process, as <c>dotnet run</c> would, with its console captured (not a
/// terminal, so progress comes as plain lines).
/// </summary>
public static class LoadGeneratorProcess
{
    /// <summary>Against <paramref name="gateway"/> with its key, the result written to a temporary file.</summary>
    public static async Task<LoadGeneratorOutcome> RunAgainstAsync(FakeGateway gateway, params string[] args)
    {
        var resultPath = Path.Combine(Path.GetTempPath(), $"loadgen-test-{Guid.NewGuid():N}.json");
        try
        {
            return await RunAsync(
                Directory.GetCurrentDirectory(),
                ["--gateway", gateway.BaseAddress.ToString(), "--api-key", FakeGateway.ApiKey, "--output", resultPath, .. args]);
        }
        finally
        {
            File.Delete(resultPath);
        }
    }

    public static async Task<LoadGeneratorOutcome> RunAsync(string currentDirectory, string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = PlainConsole.Create(output);
        var exitCode = await LoadGeneratorCommand.InvokeAsync(
            args,
            console,
            error,
            new LoadGeneratorEnvironment(currentDirectory, StateDirectory: null, TimeProvider.System),
            handleTermination: false,
            TestContext.Current.CancellationToken);

        var outputIndex = Array.IndexOf(args, "--output");
        var resultPath = outputIndex >= 0 ? Path.GetFullPath(args[outputIndex + 1], currentDirectory) : null;
        JsonElement? result = resultPath is not null && File.Exists(resultPath)
            ? JsonDocument.Parse(await File.ReadAllBytesAsync(resultPath, TestContext.Current.CancellationToken)).RootElement.Clone()
            : null;
        return new LoadGeneratorOutcome(exitCode, output.ToString(), error.ToString(), result);
    }
}
