using System.Text.Json;
using OrderSystem.Benchmarks.OrderPath;
using OrderSystem.LoadGenerator.Results;

namespace OrderSystem.Tests.Benchmarks;

/// <summary>The order-path benchmark's figures from the load generator's JSON result, its tables, and docs/benchmarks.md's section.</summary>
[Trait("Category", "Unit")]
public sealed class OrderPathReportTests
{
    [Fact]
    public void A_level_counts_created_orders_per_measured_second_and_takes_the_order_request_s_percentiles()
    {
        var figures = LevelFigures.From(Deserialize(LoadResultJson(orders: """
            { "endpoint": "POST /api/orders", "requests": 330, "errors": 3, "throughput": 33,
              "statusClasses": { "2xx": 300, "4xx": 27, "5xx": 3 },
              "outcomes": { "201": 300, "402": 27, "503": 3 },
              "errorsByOutcome": { "503": 3 },
              "latencyMs": { "p50": 40.5, "p95": 90, "p99": 110.25, "max": 130, "min": 9, "mean": 45 } },
            """)));

        // 300 created in 10 s; the declined card's 402 is no order, and no error either.
        Assert.Equal(new LevelFigures(30, 101.5, 40.5, 110.25, Requests: 1_015, Errors: 4, MeasuredSeconds: 10), figures);
    }

    [Fact]
    public void A_level_without_orders_has_no_order_percentiles()
    {
        var figures = LevelFigures.From(Deserialize(LoadResultJson(orders: string.Empty)));

        Assert.Equal(0, figures.OrdersPerSecond);
        Assert.Null(figures.OrderP50Ms);
        Assert.Null(figures.OrderP99Ms);
    }

    [Fact]
    public void The_tracing_ratio_sets_each_level_with_tracing_on_against_the_same_level_with_it_off()
    {
        SystemRun[] runs = [Run(TracingMode.On, (1, 10), (16, 190)), Run(TracingMode.Off, (1, 10), (16, 200)), ];

        Assert.Equal([new TracingRatio(1, 10, 10, 1), new TracingRatio(16, 190, 200, 0.95)], TracingRatio.Of(runs));
        Assert.Empty(TracingRatio.Of([Run(TracingMode.AsRunning, (16, 200))]));
        Assert.Null(Assert.Single(TracingRatio.Of([Run(TracingMode.On, (4, 5)), Run(TracingMode.Off, (4, 0))])).Ratio);
    }

    [Fact]
    public void The_tables_show_each_level_the_tracing_ratio_and_each_process_s_cpu_per_level()
    {
        IReadOnlyList<ProcessCpu> idle = [new("orders", 1, 0.4, 0.2), new("postgresql", 6, 0.2, 0.1)];
        SystemRun[] runs =
        [
            new(TracingMode.On, idle, [Level(1, 12.34, 250, cpu: [new("orders", 1, 20, 10), new("postgresql", 6, 10, 5)])]),
            new(TracingMode.Off, [], [Level(1, 12.5, 1_250.5, cpu: [new("orders", 1, 18, 9)])]),
        ];
        var result = new OrderPathResult(OrderPathResult.SchemaName, new DateTimeOffset(2026, 12, 5, 19, 30, 0, TimeSpan.Zero), "cmd", 2, ".NET 10.0.0", 30, 5, "browse=50,order=30,read=20", runs, TracingRatio.Of(runs));

        var text = OrderPathTables.Render(result);

        Assert.Equal(
            """
            2 cores, .NET 10.0.0, 2026-12-05 19:30 UTC; closed loop, mix browse=50,order=30,read=20, 30 s measured after 5 s of warm-up per level.

            | users | tracing | orders/s | requests/s | order p50 | order p99 | errors |
            | ---: | --- | ---: | ---: | ---: | ---: | ---: |
            | 1 | on | 12.3 | 40 | 45.5 ms | 250 ms | 0 |
            | 1 | off | 12.5 | 40 | 45.5 ms | 1.25 s | 0 |

            | users | orders/s, tracing on | orders/s, tracing off | on / off |
            | ---: | ---: | ---: | ---: |
            | 1 | 12.3 | 12.5 | 0.99 |

            CPU with tracing on, % of one core:

            | process | idle | 1 user |
            | --- | ---: | ---: |
            | orders | 0.4 % | 20 % |
            | postgresql | 0.2 % | 10 % |
            | all | 0.6 % (0.3 % of the machine) | 30 % (15 % of the machine) |

            CPU with tracing off, % of one core:

            | process | 1 user |
            | --- | ---: |
            | orders | 18 % |
            | all | 18 % (9 % of the machine) |

            """.ReplaceLineEndings("\n"),
            text.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void The_docs_section_between_the_markers_is_replaced_and_the_rest_kept()
    {
        var document = $"# Benchmarks\n\nintro\n\n{BenchmarksDocument.Begin}\nold figures\nmore\n{BenchmarksDocument.End}\n\nafter\n";

        var updated = BenchmarksDocument.ReplaceSection(document, "| new | table |\n");

        Assert.Equal($"# Benchmarks\n\nintro\n\n{BenchmarksDocument.Begin}\n| new | table |\n{BenchmarksDocument.End}\n\nafter\n", updated);
        Assert.Equal(updated, BenchmarksDocument.ReplaceSection(updated, "| new | table |"));
    }

    [Theory]
    [InlineData("no markers")]
    [InlineData("<!-- order-path:end -->\n<!-- order-path:begin -->")]
    [InlineData("<!-- order-path:begin -->\n<!-- order-path:end -->\n<!-- order-path:begin -->\n<!-- order-path:end -->")]
    public void A_document_without_one_pair_of_markers_in_order_is_refused(string document) =>
        Assert.Throws<InvalidOperationException>(() => BenchmarksDocument.ReplaceSection(document, "table"));

    private static LevelRun Level(int users, double ordersPerSecond, double orderP99, IReadOnlyList<ProcessCpu> cpu) =>
        new(users, new LevelFigures(ordersPerSecond, 40, 45.5, orderP99, 1_200, 0, 30), cpu, "loadgen.json");

    private static SystemRun Run(string tracing, params (int Users, double OrdersPerSecond)[] levels) =>
        new(tracing, [], [.. levels.Select(level => Level(level.Users, level.OrdersPerSecond, 100, []))]);

    private static LoadResult Deserialize(string json) =>
        JsonSerializer.Deserialize<LoadResult>(json, LoadResultFile.JsonOptions)!;

    /// <summary>A result as the load generator writes it (docs/load-generator.md, "JSON result"), 10 s measured.</summary>
    private static string LoadResultJson(string orders) => $$"""
        {
          "schema": "ordersystem-loadgen/1",
          "startedAt": "2026-12-05T19:00:00+00:00",
          "gateway": "http://127.0.0.1:5080/",
          "dashboard": null,
          "interrupted": false,
          "options": { "model": "closed", "rate": null, "concurrency": 16, "durationSeconds": 10, "warmupSeconds": 5,
            "mix": { "browse": 50, "order": 30, "read": 20 }, "users": 100, "declinedRate": 0.05, "skus": null, "seed": 1,
            "requestTimeoutSeconds": 10, "maxInFlight": null },
          "totals": { "requests": 1015, "errors": 4, "unsent": 0, "scenarioRuns": 700, "failedScenarioRuns": 4,
            "measuredSeconds": 10, "throughput": 101.5,
            "statusClasses": { "2xx": 980, "4xx": 31, "5xx": 4 },
            "outcomes": { "200": 680, "201": 300, "402": 27, "404": 4, "503": 4 },
            "latencyMs": { "p50": 12, "p95": 45, "p99": 80, "max": 130, "min": 1, "mean": 18 } },
          "endpoints": [
            {{orders}}
            { "endpoint": "GET /api/products", "requests": 685, "errors": 1, "throughput": 68.5,
              "statusClasses": { "2xx": 680, "4xx": 4, "5xx": 1 }, "outcomes": { "200": 680, "404": 4, "503": 1 },
              "errorsByOutcome": { "503": 1 },
              "latencyMs": { "p50": 8, "p95": 20, "p99": 30, "max": 40, "min": 1, "mean": 9 } }
          ],
          "scenarios": [],
          "errors": [],
          "slowestTraces": [],
          "failedTraces": []
        }
        """;
}
