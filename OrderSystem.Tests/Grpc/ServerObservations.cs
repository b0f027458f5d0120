using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Grpc;

/// <summary>What the test server's handlers saw, by the key each test puts in its request.</summary>
public sealed class ServerObservations
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Observation>> _byKey = new();

    public void Record(string key, ServerCallContext context, bool cancelled = false) =>
        _byKey.GetOrAdd(key, _ => new()).Enqueue(new Observation(
            context.Deadline,
            Activity.Current?.TraceId.ToString(),
            OpenTelemetry.Baggage.Current.GetBaggage().ToDictionary(),
            cancelled));

    /// <summary>Records the call, waits for its token to be cancelled, records that, and rethrows.</summary>
    public async Task WaitForCancellationAsync(string key, ServerCallContext context)
    {
        Record(key, context);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            Record(key, context, cancelled: true);
            throw;
        }

        throw new InvalidOperationException("an infinite delay ended without cancellation");
    }

    public IReadOnlyList<Observation> For(string key) => _byKey.TryGetValue(key, out var calls) ? [.. calls] : [];

    /// <summary>Polls until <paramref name="condition"/> holds for the calls with <paramref name="key"/>; handlers record asynchronously to the client.</summary>
    public Task<IReadOnlyList<Observation>> WaitForAsync(string key, Func<IReadOnlyList<Observation>, bool> condition) =>
        Eventually.WaitForAsync(
            () => Task.FromResult(For(key) is var calls && condition(calls) ? calls : null),
            TimeSpan.FromSeconds(10),
            $"the calls awaited with key {key}",
            TimeSpan.FromMilliseconds(10));

    public sealed record Observation(
        DateTime Deadline,
        string? TraceId,
        IReadOnlyDictionary<string, string> Baggage,
        bool Cancelled);
}
