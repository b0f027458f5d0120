using System.Diagnostics;
using OrderSystem.ServiceDefaults.Redis;

namespace OrderSystem.Benchmarks.Redis;

/// <summary>
/// Drives our <see cref="RedisClient"/> like <c>redis-benchmark -c C -n N -P D</c>: C concurrent callers share the
/// one connection and send N requests in total. At depth 1 each caller awaits every command; at depth D each caller
/// sends batches of D commands (one write) and awaits the whole batch, whose latency counts for each of its commands,
/// as redis-benchmark counts a pipeline.
/// </summary>
internal sealed class ClientLoad(RedisClient client, int clients, int depth, RedisValue value)
{
    // redis-benchmark without -r uses this literal key for every request.
    private const string Key = "key:__rand_int__";

    public async Task<LoadResult> RunAsync(string command, int requests, CancellationToken cancellationToken)
    {
        var perClient = requests / clients / depth;
        var latencies = new long[clients][];
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var callers = new Task[clients];
        for (var c = 0; c < clients; c++)
        {
            var samples = latencies[c] = new long[perClient];
            callers[c] = Task.Run(async () =>
            {
                await start.Task;
                await (depth == 1
                    ? RunSequentialAsync(command, samples, cancellationToken)
                    : RunBatchesAsync(command, samples, cancellationToken));
            }, cancellationToken);
        }

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        start.SetResult();
        await Task.WhenAll(callers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        var operations = (long)perClient * clients * depth;
        var sorted = latencies.SelectMany(samples => samples).Order().ToArray();
        return new LoadResult(
            operations / elapsed.TotalSeconds,
            Percentile(sorted, 0.50),
            Percentile(sorted, 0.99),
            (double)allocated / operations);
    }

    private async Task RunSequentialAsync(string command, long[] samples, CancellationToken cancellationToken)
    {
        for (var i = 0; i < samples.Length; i++)
        {
            var started = Stopwatch.GetTimestamp();
            if (command == "SET")
            {
                await client.SetAsync(Key, value, cancellationToken: cancellationToken);
            }
            else
            {
                await client.GetAsync(Key, cancellationToken);
            }

            samples[i] = Stopwatch.GetTimestamp() - started;
        }
    }

    private async Task RunBatchesAsync(string command, long[] samples, CancellationToken cancellationToken)
    {
        var sets = new ValueTask<bool>[depth];
        var gets = new ValueTask<RedisValue>[depth];
        for (var i = 0; i < samples.Length; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var batch = client.CreateBatch();
            for (var j = 0; j < depth; j++)
            {
                if (command == "SET")
                {
                    sets[j] = batch.SetAsync(Key, value, cancellationToken: cancellationToken);
                }
                else
                {
                    gets[j] = batch.GetAsync(Key, cancellationToken);
                }
            }

            await batch.ExecuteAsync(cancellationToken);
            for (var j = 0; j < depth; j++)
            {
                if (command == "SET")
                {
                    await sets[j];
                }
                else
                {
                    await gets[j];
                }
            }

            samples[i] = Stopwatch.GetTimestamp() - started;
        }
    }

    private static double Percentile(long[] sorted, double quantile) =>
        sorted.Length == 0 ? 0 : sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(quantile * sorted.Length) - 1)] * 1000.0 / Stopwatch.Frequency;
}
