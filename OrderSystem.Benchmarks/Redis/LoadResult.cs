namespace OrderSystem.Benchmarks.Redis;

/// <summary>Throughput and latency of one run; latencies in milliseconds.</summary>
internal sealed record LoadResult(double OpsPerSecond, double P50Milliseconds, double P99Milliseconds, double? BytesAllocatedPerOp = null);
