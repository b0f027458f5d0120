using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using OrderSystem.Diagnostics;
using OrderSystem.Diagnostics.Authentication;
using OrderSystem.Diagnostics.Otlp;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Benchmarks.Diagnostics;

/// <summary>
/// The diagnostics service's figures: spans ingested per second over OTLP/HTTP (the dashboard on Kestrel, loopback
/// clients), memory per stored span, and search latency with 100k and 1M spans stored.
/// Options: --ingest-spans N (200000), --concurrency N (4), --sizes 100000,1000000, --repeat N (30).
/// </summary>
public sealed class DiagnosticsBenchmark : IBenchmark
{
    private const int TracesPerRequest = 64;

    public string Name => "diagnostics";

    public string Description => "OTLP/HTTP ingestion rate, memory per span, trace search latency at 100k/1M spans";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var ingestSpans = Option(args, "--ingest-spans", 200_000);
        var concurrency = Option(args, "--concurrency", 4);
        var repeat = Option(args, "--repeat", 30);
        var sizes = OptionList(args, "--sizes", [100_000, 1_000_000]);

        Console.WriteLine($"dashboard benchmark: {Environment.ProcessorCount} cores, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}");
        await MeasureIngestionAsync(ingestSpans, concurrency, cancellationToken).ConfigureAwait(false);
        foreach (var size in sizes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            MeasureStore(size, repeat);
        }

        return 0;
    }

    private static async Task MeasureIngestionAsync(int spans, int concurrency, CancellationToken cancellationToken)
    {
        var requests = spans / (TracesPerRequest * SyntheticTraces.SpansPerTrace);
        var generator = new SyntheticTraces(seed: 1);
        var payloads = Enumerable.Range(0, requests).Select(_ => generator.CreateRequest(TracesPerRequest).ToByteArray()).ToArray();
        var port = FreePort();
        // The receiver checks the key of every request, as under the AppHost: that cost is part of the figure.
        var otlpApiKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var app = DiagnosticsApp.Create([
            $"--Kestrel:Endpoints:http:Url=http://127.0.0.1:{port}",
            "--Kestrel:Endpoints:otlp-grpc:Url=http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            // Every span is stored, as the figures in docs/benchmarks.md were measured: no tail sampling.
            "--Diagnostics:TailSampling:Enabled=false",
            $"--Diagnostics:Otlp:PrimaryApiKey={otlpApiKey}",
            // Only the receiver is measured: the UI and the API are not used.
            "--Diagnostics:Frontend:AuthMode=Unsecured",
        ]);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            client.DefaultRequestHeaders.Add(OtlpApiKeyAuthenticationHandler.HeaderName, otlpApiKey);
            await PostAsync(client, payloads[0], cancellationToken).ConfigureAwait(false); // warm-up: JIT, connection

            var next = 0;
            var stopwatch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < payloads.Length)
                {
                    await PostAsync(client, payloads[index], cancellationToken).ConfigureAwait(false);
                }
            })).ConfigureAwait(false);
            stopwatch.Stop();

            var sent = (payloads.Length - 1) * TracesPerRequest * SyntheticTraces.SpansPerTrace;
            var averageBytes = payloads.Average(p => p.Length);
            Console.WriteLine();
            Console.WriteLine($"OTLP/HTTP ingestion: {sent:N0} spans in {payloads.Length - 1:N0} requests of {TracesPerRequest * SyntheticTraces.SpansPerTrace} spans (~{averageBytes / 1024:N0} KiB protobuf), {concurrency} concurrent clients");
            Console.WriteLine($"  {sent / stopwatch.Elapsed.TotalSeconds:N0} spans/s, {(payloads.Length - 1) / stopwatch.Elapsed.TotalSeconds:N0} requests/s, {stopwatch.Elapsed.TotalSeconds:N2} s");
        }
        finally
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task PostAsync(HttpClient client, byte[] payload, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(payload);
        content.Headers.ContentType = new MediaTypeHeaderValue(OtlpContentTypes.Protobuf);
        using var response = await client.PostAsync("v1/traces", content, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    private static void MeasureStore(int spans, int repeat)
    {
        var options = Options.Create(new DiagnosticsOptions { MaxSpans = spans, MaxBytes = long.MaxValue, MaxAge = TimeSpan.FromDays(365) });
        var pool = new StringPool();
        var attributes = new OtlpAttributeConverter(pool);
        var converter = new OtlpTraceConverter(attributes, new OtlpResourceConverter(attributes, new ResourceCatalog(), pool), pool);
        var generator = new SyntheticTraces(seed: 2);

        var before = GC.GetTotalMemory(forceFullCollection: true);
        using var store = new TraceStore(options, TimeProvider.System);
        var convertAndStore = new Stopwatch();
        var stored = 0;
        var traceIds = new List<TraceId>();
        while (stored < spans)
        {
            var request = generator.CreateRequest(TracesPerRequest);
            convertAndStore.Start();
            var conversion = converter.Convert(request);
            store.Add([.. conversion.Spans.Select(span => span.Span)]);
            convertAndStore.Stop();
            stored += conversion.Spans.Count;
            traceIds.Add(conversion.Spans[0].Span.TraceId);
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        var statistics = store.GetStatistics();
        Console.WriteLine();
        Console.WriteLine($"Store with {statistics.SpanCount:N0} spans in {statistics.TraceCount:N0} traces:");
        Console.WriteLine($"  convert + store in-process: {stored / convertAndStore.Elapsed.TotalSeconds:N0} spans/s");
        Console.WriteLine($"  managed memory: {(after - before) / (double)statistics.SpanCount:N0} bytes/span measured (GC heap delta incl. indexes), {statistics.EstimatedBytes / (double)statistics.SpanCount:N0} bytes/span estimated by the store");

        var orderId = (stored / SyntheticTraces.SpansPerTrace / 2).ToString(CultureInfo.InvariantCulture);
        (string Label, TraceQuery Query)[] queries =
        [
            ("service=gateway (latest 20)", new TraceQuery { Service = "gateway" }),
            ("service+operation", new TraceQuery { Service = "inventory", Operation = "inventory.InventoryService/Reserve" }),
            ("tag order.id=<one order>", new TraceQuery { Tags = [KeyValuePair.Create("order.id", orderId)] }),
            ("service + http 502 tag", new TraceQuery { Service = "gateway", Tags = [KeyValuePair.Create("http.response.status_code", "502")] }),
            ("errors only", new TraceQuery { ErrorsOnly = true }),
            ("service + minDuration=1s (1% match)", new TraceQuery { Service = "gateway", MinDurationNano = 1_000_000_000 }),
            ("service + minDuration=1h (no match: full scan)", new TraceQuery { Service = "gateway", MinDurationNano = 3_600_000_000_000 }),
            ("limit 500, all services", new TraceQuery { Limit = 500 }),
        ];
        foreach (var (label, query) in queries)
        {
            Report(label, repeat, () => store.FindTraces(query).Count);
        }

        var random = new Random(3);
        Report("trace by id", repeat, () => store.GetTrace(traceIds[random.Next(traceIds.Count)]) is null ? 0 : 1);
        Report("dependencies (all stored)", Math.Max(3, repeat / 10), () => store.GetDependencies(0, long.MaxValue).Count);
    }

    private static void Report(string label, int repeat, Func<int> run)
    {
        var results = run(); // warm-up
        var timings = new double[repeat];
        for (var i = 0; i < repeat; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            results = run();
            timings[i] = stopwatch.Elapsed.TotalMilliseconds;
        }

        Array.Sort(timings);
        Console.WriteLine($"  {label,-48} median {timings[repeat / 2],9:N3} ms   p95 {timings[(int)(repeat * 0.95)],9:N3} ms   ({results} results)");
    }

    internal static int Option(string[] args, string name, int defaultValue)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : defaultValue;
    }

    internal static int[] OptionList(string[] args, string name, int[] defaultValue)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length
            ? [.. args[index + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]
            : defaultValue;
    }

    internal static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
