using System.Diagnostics;
using System.Globalization;

namespace OrderSystem.Benchmarks.Redis;

/// <summary>Runs Redis' own <c>redis-benchmark</c> with the same settings and reads its CSV output.</summary>
internal static class RedisBenchmarkTool
{
    public const string Path = "/usr/bin/redis-benchmark";

    public static string CommandLine(string host, int port, int clients, int requests, int depth, int dataSize) =>
        $"redis-benchmark -h {host} -p {port} -c {clients} -n {requests} -P {depth} -d {dataSize} -t set,get --csv";

    /// <summary>Results keyed by test name (<c>SET</c>, <c>GET</c>).</summary>
    public static async Task<Dictionary<string, LoadResult>> RunAsync(string host, int port, int clients, int requests, int depth, int dataSize, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in CommandLine(host, port, clients, requests, depth, dataSize).Split(' ').Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("redis-benchmark did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"redis-benchmark exited with {process.ExitCode}: {await error}");
        }

        return ParseCsv(await output);
    }

    // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
    private static Dictionary<string, LoadResult> ParseCsv(string csv)
    {
        var results = new Dictionary<string, LoadResult>(StringComparer.Ordinal);
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1))
        {
            var fields = line.Split(',').Select(field => field.Trim('"')).ToArray();
            if (fields.Length < 7)
            {
                throw new FormatException($"unexpected redis-benchmark output line: {line}");
            }

            results[fields[0]] = new LoadResult(Number(fields[1]), Number(fields[4]), Number(fields[6]));
        }

        return results;
    }

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
