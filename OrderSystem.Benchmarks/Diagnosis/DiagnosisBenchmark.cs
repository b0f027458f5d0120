using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OrderSystem.Benchmarks.Diagnostics;
using OrderSystem.Diagnostics;
using OrderSystem.Diagnostics.Diagnosis;
using OrderSystem.Diagnostics.Otlp;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Benchmarks.Diagnosis;

/// <summary>
/// The diagnosis figures: statement baselines over the store, one trace's diagnosis, a set analysis (slowest 5%
/// against the rest) over every stored request, and a window comparison, with 10k and 50k checkout traces stored.
/// The dashboard's own services (from <see cref="DiagnosticsApp.Create"/>, not started) receive and analyse the traces.
/// Each figure is wall-clock time and this process's CPU time, so that a figure taken on a busy machine can still
/// be read. Options: --traces 10000,50000, --repeat N (10).
/// </summary>
public sealed class DiagnosisBenchmark : IBenchmark
{
    private const int TracesPerRequest = 64;
    private const string Service = "gateway";
    private const string Operation = "POST /orders";

    public string Name => "diagnosis";

    public string Description => "Trace diagnosis, set analysis and window comparison over 10k/50k stored traces";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var repeat = DiagnosticsBenchmark.Option(args, "--repeat", 10);
        Console.WriteLine($"diagnosis benchmark: {Environment.ProcessorCount} cores, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}");
        foreach (var traces in DiagnosticsBenchmark.OptionList(args, "--traces", [10_000, 50_000]))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await MeasureAsync(traces, repeat).ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task MeasureAsync(int traceCount, int repeat)
    {
        var app = DiagnosticsApp.Create([
            "--Logging:LogLevel:Default=Warning",
            "--Diagnostics:MaxSpans=10000000",
            "--Diagnostics:MaxBytes=100000000000",
            "--Diagnostics:MaxAge=365.00:00:00",
            // Every trace is analysed: no tail sampling.
            "--Diagnostics:TailSampling:Enabled=false",
        ]);
        try
        {
            var services = app.Services;
            var generator = new SyntheticTraces(seed: 4);
            var receiver = services.GetRequiredService<OtlpReceiver>();
            var firstTrace = default(TraceId);
            for (var sent = 0; sent < traceCount; sent += TracesPerRequest)
            {
                var request = generator.CreateRequest(Math.Min(TracesPerRequest, traceCount - sent));
                receiver.Export(request);
                if (firstTrace.IsEmpty && TraceId.TryRead(request.ResourceSpans[0].ScopeSpans[0].Spans[0].TraceId.Span, out var id))
                {
                    firstTrace = id;
                }
            }

            var store = services.GetRequiredService<TraceStore>();
            var statistics = store.GetStatistics();
            Console.WriteLine();
            Console.WriteLine($"Store with {statistics.SpanCount:N0} spans in {statistics.TraceCount:N0} traces ({SyntheticTraces.SpansPerTrace} spans each, 1% slow, 2% failed):");

            // The synthetic requests start 1 ms apart from the generator's start time.
            var start = generator.StartUnixNano;
            var end = start + ((traceCount + 1) * 1_000_000L);
            var middle = start + (traceCount / 2 * 1_000_000L);
            var setAnalyzer = services.GetRequiredService<TraceSetAnalyzer>();
            var comparison = services.GetRequiredService<WindowComparison>();
            var analyzer = services.GetRequiredService<TraceAnalyzer>();
            var trace = store.GetTrace(firstTrace)!;

            Measure("set analysis, first call (JIT, baselines)", 1, () => Requests(setAnalyzer.Analyze(Service, Operation, start, end, 5)));
            Measure("statement baselines (walk of the store)", repeat, () => ActivatorUtilities.CreateInstance<StatementBaselines>(services).Current().Count);
            Measure("set analysis, slowest 5% vs rest", repeat, () => Requests(setAnalyzer.Analyze(Service, Operation, start, end, 5)));
            Measure("window comparison (two halves)", repeat, () =>
            {
                var result = comparison.Compare(Service, Operation, (start, middle), (middle, end));
                return result.Before.Requests.Count + result.After.Requests.Count;
            });
            Measure("one trace (8 spans): path, shares, findings", Math.Max(repeat, 1_000), () => analyzer.Analyze(trace).CriticalPath.Count);
        }
        finally
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static int Requests(TraceSetDiagnosis set) => set.Slow.Requests.Count + set.Rest.Requests.Count;

    private static void Measure(string label, int repeat, Func<int> run)
    {
        var process = Process.GetCurrentProcess();
        var wall = new double[repeat];
        var cpu = new double[repeat];
        var results = 0;
        for (var i = 0; i < repeat; i++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var stopwatch = Stopwatch.StartNew();
            results = run();
            wall[i] = stopwatch.Elapsed.TotalMilliseconds;
            process.Refresh();
            cpu[i] = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
        }

        Array.Sort(wall);
        Array.Sort(cpu);
        Console.WriteLine($"  {label,-46} wall median {wall[repeat / 2],9:N3} ms  p95 {wall[(int)(repeat * 0.95)],9:N3} ms   CPU median {cpu[repeat / 2],9:N1} ms   ({results} results)");
    }
}
