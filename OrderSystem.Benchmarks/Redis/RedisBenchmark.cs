using System.Globalization;
using OrderSystem.ServiceDefaults.Redis;

namespace OrderSystem.Benchmarks.Redis;

/// <summary>
/// GET/SET throughput of our <see cref="RedisClient"/> against <c>redis-benchmark</c> with the same settings, in the
/// same run and against the same server: 50 concurrent callers, pipeline depths 1 and 32.
/// </summary>
public sealed class RedisBenchmark : IBenchmark
{
    private static readonly string[] Commands = ["SET", "GET"];

    public string Name => "redis";

    public string Description => "RedisClient GET/SET throughput vs redis-benchmark (50 callers, pipeline depth 1 and 32)";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        RedisBenchmarkOptions options;
        try
        {
            options = RedisBenchmarkOptions.Parse(args);
        }
        catch (FormatException exception)
        {
            Console.Error.WriteLine($"error: {exception.Message}\n{RedisBenchmarkOptions.Usage}");
            return 2;
        }

        foreach (var tool in new[] { "/usr/bin/redis-server", RedisBenchmarkTool.Path })
        {
            if (options.Port is null && !File.Exists(tool))
            {
                Console.Error.WriteLine($"error: {tool} is missing: apt-get install -y redis-server redis-tools");
                return 1;
            }
        }

        await using var server = options.Port is null ? await PrivateRedisServer.StartAsync(cancellationToken) : null;
        var host = options.Host ?? "127.0.0.1";
        var port = options.Port ?? server!.Port;
        await using var client = new RedisClient(new RedisConnectionOptions { Host = host, Port = port });
        var value = new string('x', options.DataSize);

        Console.WriteLine($"Redis at {host}:{port}, {options.Requests:N0} requests per run, {options.Clients} concurrent callers, {options.DataSize}-byte values, {Environment.ProcessorCount} cores");
        Console.WriteLine("ours: one RedisClient (one multiplexed connection); redis-benchmark: one connection per caller");
        Console.WriteLine();

        // Warm-up: JIT, thread pool growth and the connection, outside the measurements.
        foreach (var depth in options.Depths)
        {
            foreach (var command in Commands)
            {
                await new ClientLoad(client, options.Clients, depth, value).RunAsync(command, Math.Min(options.Requests, 20_000 * depth), cancellationToken);
            }
        }

        var rows = new List<string[]>();
        foreach (var depth in options.Depths)
        {
            Console.WriteLine($"$ {RedisBenchmarkTool.CommandLine(host, port, options.Clients, options.Requests, depth, options.DataSize)}");
            var reference = await RedisBenchmarkTool.RunAsync(host, port, options.Clients, options.Requests, depth, options.DataSize, cancellationToken);
            foreach (var command in Commands)
            {
                var ours = await new ClientLoad(client, options.Clients, depth, value).RunAsync(command, options.Requests, cancellationToken);
                var theirs = reference[command];
                rows.Add(
                [
                    command,
                    depth.ToString(CultureInfo.InvariantCulture),
                    ours.OpsPerSecond.ToString("N0", CultureInfo.InvariantCulture),
                    ours.P50Milliseconds.ToString("F3", CultureInfo.InvariantCulture),
                    ours.P99Milliseconds.ToString("F3", CultureInfo.InvariantCulture),
                    ours.BytesAllocatedPerOp!.Value.ToString("F0", CultureInfo.InvariantCulture),
                    theirs.OpsPerSecond.ToString("N0", CultureInfo.InvariantCulture),
                    theirs.P50Milliseconds.ToString("F3", CultureInfo.InvariantCulture),
                    theirs.P99Milliseconds.ToString("F3", CultureInfo.InvariantCulture),
                    (ours.OpsPerSecond / theirs.OpsPerSecond).ToString("F2", CultureInfo.InvariantCulture),
                ]);
            }
        }

        Console.WriteLine();
        PrintTable(["op", "depth", "ours ops/s", "ours p50 ms", "ours p99 ms", "ours B/op", "redis-benchmark ops/s", "rb p50 ms", "rb p99 ms", "ours/rb"], rows);
        return 0;
    }

    private static void PrintTable(string[] header, List<string[]> rows)
    {
        Console.WriteLine("| " + string.Join(" | ", header) + " |");
        Console.WriteLine("|" + string.Concat(header.Select(_ => " --- |")));
        foreach (var row in rows)
        {
            Console.WriteLine("| " + string.Join(" | ", row) + " |");
        }
    }
}
