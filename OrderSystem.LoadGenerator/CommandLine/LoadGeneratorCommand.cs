using System.CommandLine;
using OrderSystem.LoadGenerator.Load;
using OrderSystem.LoadGenerator.Reporting;
using OrderSystem.LoadGenerator.Results;
using Spectre.Console;

namespace OrderSystem.LoadGenerator.CommandLine;

/// <summary>
/// The command: parses and checks the options, runs the load, prints the summary and writes the JSON result.
/// Exit codes: 0 the run happened (errors in responses are results, not failures), 1 it could not happen,
/// 2 invalid options, 130 interrupted (Ctrl-C; what was measured is still reported).
/// </summary>
public static class LoadGeneratorCommand
{
    public const int Succeeded = 0;
    public const int CouldNotRun = 1;
    public const int InvalidOptions = 2;
    public const int Interrupted = 130;

    /// <param name="console">Where progress and the summary go.</param>
    /// <param name="error">Where the one-line error of exit codes 1 and 2 goes.</param>
    /// <param name="handleTermination">Turn Ctrl-C and SIGTERM into cancellation (the real process; not in tests).</param>
    public static async Task<int> InvokeAsync(
        string[] args,
        IAnsiConsole console,
        TextWriter error,
        LoadGeneratorEnvironment environment,
        bool handleTermination,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(environment);

        var options = new LoadGeneratorOptions();
        var command = Create(options);
        command.SetAction((parseResult, token) => RunAsync(parseResult, options, console, error, environment, token));

        var parseResult = command.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            await error.WriteLineAsync($"loadgen: {parseResult.Errors[0].Message} (see --help)").ConfigureAwait(false);
            return InvalidOptions;
        }

        var invocation = new InvocationConfiguration
        {
            Output = console.Profile.Out.Writer,
            Error = error,
            // Long enough to print the summary and write the result of what was measured before Ctrl-C.
            ProcessTerminationTimeout = handleTermination ? TimeSpan.FromSeconds(15) : null,
        };
        return await parseResult.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The command with its options, without an action: what parsing needs.</summary>
    public static RootCommand Create(LoadGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var command = new RootCommand(
            "Drives realistic traffic (browse products, place orders, read orders) through the OrderSystem Gateway and reports "
            + "throughput, errors and latency percentiles per endpoint, with the trace ids of the slowest and failed requests.");
        foreach (var option in options.All)
        {
            command.Options.Add(option);
        }

        return command;
    }

    private static async Task<int> RunAsync(
        ParseResult parseResult,
        LoadGeneratorOptions options,
        IAnsiConsole console,
        TextWriter error,
        LoadGeneratorEnvironment environment,
        CancellationToken cancellationToken)
    {
        try
        {
            var settings = LoadSettingsBinder.Bind(parseResult, options, environment);
            var result = await new LoadRun(settings, console, environment.TimeProvider).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            SummaryReport.Write(console, result);
            if (settings.OutputPath is { } path)
            {
                // Not cancellable: after Ctrl-C the result of what was measured is still wanted.
                await LoadResultFile.WriteAsync(path, result, CancellationToken.None).ConfigureAwait(false);
                console.WriteLine($"Result: {path}");
            }

            return result.Interrupted ? Interrupted : Succeeded;
        }
        catch (InvalidOptionsException exception)
        {
            await error.WriteLineAsync($"loadgen: {exception.Message}").ConfigureAwait(false);
            return InvalidOptions;
        }
        catch (LoadRunException exception)
        {
            await error.WriteLineAsync($"loadgen: {exception.Message}").ConfigureAwait(false);
            return CouldNotRun;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"loadgen: cannot write the result: {exception.Message}").ConfigureAwait(false);
            return CouldNotRun;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("loadgen: interrupted before the load started").ConfigureAwait(false);
            return Interrupted;
        }
    }
}
