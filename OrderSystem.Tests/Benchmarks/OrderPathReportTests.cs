using System.Text.Json;
using OrderSystem.Benchmarks.OrderPath;
using OrderSystem.LoadGenerator.Results;

namespace OrderSystem.Tests.Benchmarks;

/// <summary>The order-path benchmark's figures from the load generator's JSON result, its tables, and docs/benchmarks.md's section.</summary>
[Trait("Category", "Unit")]
public sealed class OrderPathReportTests
{
    private const string Before = "before (abc1234)";
    private const string ThisTree = "this tree (def5678)";

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

        Assert.Equal([new TracingRatio(1, 10, 10, 1, new RatioRange(1, 1)), new TracingRatio(16, 190, 200, 0.95, new RatioRange(0.95, 0.95))], TracingRatio.Of(runs));
        Assert.Empty(TracingRatio.Of([Run(TracingMode.AsRunning, (16, 200))]));
        Assert.Null(Assert.Single(TracingRatio.Of([Run(TracingMode.On, (4, 5)), Run(TracingMode.Off, (4, 0))])).Ratio);
    }

    [Fact]
    public void The_tables_show_each_level_the_tracing_ratio_and_each_process_s_cpu_per_level()
    {
        IReadOnlyList<ProcessCpu> idle = [new("orders", 1, 0.4, 0.2), new("postgresql", 6, 0.2, 0.1)];
        SystemRun[] runs =
        [
            new(ThisTree, TracingMode.On, 1, idle, [Level(1, 12.34, 250, cpu: [new("orders", 1, 20, 10), new("postgresql", 6, 10, 5)])], new Settling(Quiet: true, 41.6, Busiest: null)),
            new(ThisTree, TracingMode.Off, 1, [], [Level(1, 12.5, 1_250.5, cpu: [new("orders", 1, 18, 9)])]),
        ];

        var text = OrderPathTables.Render(Result(runs, TracingRatio.Of(runs), beforeAfter: null));

        Assert.Equal(
            """
            2 cores, .NET 10.0.0, 2026-12-05 19:30 UTC; closed loop, mix browse=50,order=30,read=20, declined share 0.05, 30 s measured after 5 s of warm-up per level; each system started was warmed for 20 s at the highest level first.

            | users | build | tracing | orders/s | requests/s | order p50 | order p99 | errors |
            | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |
            | 1 | this tree (def5678) | on | 12.3 | 40 | 45.5 ms | 250 ms | 0 |
            | 1 | this tree (def5678) | off | 12.5 | 40 | 45.5 ms | 1.25 s | 0 |

            | users | orders/s, tracing on | orders/s, tracing off | on / off |
            | ---: | ---: | ---: | ---: |
            | 1 | 12.3 | 12.5 | 0.99 |

            CPU of this tree (def5678), tracing on, % of one core:

            | process | idle | 1 user |
            | --- | ---: | ---: |
            | orders | 0.4 % | 20 % |
            | postgresql | 0.2 % | 10 % |
            | all | 0.6 % (0.3 % of the machine) | 30 % (15 % of the machine) |

            Idle measured once no process had used more than 5 % of a core for 3 s: quiet after 42 s.

            CPU of this tree (def5678), tracing off, % of one core:

            | process | 1 user |
            | --- | ---: |
            | orders | 18 % |
            | all | 18 % (9 % of the machine) |

            CPU per order at 1 user, ms of CPU time per order placed (each part's share of a core over the orders per second):

            | process | this tree (def5678), tracing on | this tree (def5678), tracing off |
            | --- | ---: | ---: |
            | orders | 16.21 | 14.40 |
            | postgresql | 8.10 | – |
            | all | 24.31 | 14.40 |

            """.ReplaceLineEndings("\n"),
            text.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Before_and_after_sets_each_level_of_this_tree_against_the_same_level_of_the_before_build()
    {
        var before = new SystemRun(Before, TracingMode.On, 1, [], [Level(1, 10, 100, [], p50: 50), Level(16, 0, 100, [], p50: null)]);
        var after = new SystemRun(ThisTree, TracingMode.On, 1, [], [Level(1, 12.5, 100, [], p50: 40), Level(16, 150, 100, [], p50: 90), Level(64, 160, 100, [])]);

        var beforeAfter = BeforeAfter.Of([before], [after]);

        Assert.Equal(Before, beforeAfter.Before);
        Assert.Equal(ThisTree, beforeAfter.After);
        // 64 users ran only after: nothing to set it against. 16 users placed no orders before: no ratio.
        Assert.Equal([new BeforeAfterLevel(1, 10, 12.5, 1.25, 50, 40, new RatioRange(1.25, 1.25)), new BeforeAfterLevel(16, 0, 150, null, null, 90, null)], beforeAfter.Levels);
    }

    [Fact]
    public void With_a_before_build_the_tables_name_each_run_s_build_and_set_this_tree_against_it()
    {
        var before = new SystemRun(Before, TracingMode.On, 1, [], [Level(16, 60, 300, [new("orders", 1, 40, 20)], p50: 120)]);
        var on = new SystemRun(ThisTree, TracingMode.On, 1, [], [Level(16, 90, 200, [new("orders", 1, 30, 15)], p50: 80)]);
        var off = new SystemRun(ThisTree, TracingMode.Off, 1, [], [Level(16, 100, 150, [new("orders", 1, 25, 12.5)], p50: 70)]);

        var text = OrderPathTables.Render(Result([before, on, off], TracingRatio.Of([on, off]), BeforeAfter.Of([before], [on])));

        Assert.Equal(
            """
            2 cores, .NET 10.0.0, 2026-12-05 19:30 UTC; closed loop, mix browse=50,order=30,read=20, declined share 0.05, 30 s measured after 5 s of warm-up per level; each system started was warmed for 20 s at the highest level first.

            | users | build | tracing | orders/s | requests/s | order p50 | order p99 | errors |
            | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |
            | 16 | before (abc1234) | on | 60 | 40 | 120 ms | 300 ms | 0 |
            | 16 | this tree (def5678) | on | 90 | 40 | 80.0 ms | 200 ms | 0 |
            | 16 | this tree (def5678) | off | 100 | 40 | 70.0 ms | 150 ms | 0 |

            | users | orders/s, tracing on | orders/s, tracing off | on / off |
            | ---: | ---: | ---: | ---: |
            | 16 | 90 | 100 | 0.90 |

            this tree (def5678) against before (abc1234), tracing on:

            | users | orders/s before | orders/s after | after / before | order p50 before | order p50 after |
            | ---: | ---: | ---: | ---: | ---: | ---: |
            | 16 | 60 | 90 | 1.50 | 120 ms | 80.0 ms |

            CPU of before (abc1234), tracing on, % of one core:

            | process | 16 users |
            | --- | ---: |
            | orders | 40 % |
            | all | 40 % (20 % of the machine) |

            CPU of this tree (def5678), tracing on, % of one core:

            | process | 16 users |
            | --- | ---: |
            | orders | 30 % |
            | all | 30 % (15 % of the machine) |

            CPU of this tree (def5678), tracing off, % of one core:

            | process | 16 users |
            | --- | ---: |
            | orders | 25 % |
            | all | 25 % (12.5 % of the machine) |

            CPU per order at 16 users, ms of CPU time per order placed (each part's share of a core over the orders per second):

            | process | before (abc1234), tracing on | this tree (def5678), tracing on | this tree (def5678), tracing off |
            | --- | ---: | ---: | ---: |
            | orders | 6.67 | 3.33 | 2.50 |
            | all | 6.67 | 3.33 | 2.50 |

            """.ReplaceLineEndings("\n"),
            text.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void The_json_result_is_schema_5_with_the_declined_share_each_run_s_build_round_and_settling_and_the_before_after_comparison()
    {
        var before = new SystemRun(Before, TracingMode.On, 1, [], [Level(16, 60, 300, [], p50: 120)]);
        var after = new SystemRun(ThisTree, TracingMode.On, 1, [], [Level(16, 90, 200, [], p50: 80)], new Settling(Quiet: false, 180.4, "aspire dashboard"));

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(Result([before, after], [], BeforeAfter.Of([before], [after])), OrderPathResult.JsonOptions));
        using var withoutBefore = JsonDocument.Parse(JsonSerializer.Serialize(Result([after], [], beforeAfter: null), OrderPathResult.JsonOptions));

        var root = json.RootElement;
        Assert.Equal("ordersystem-order-path/5", root.GetProperty("schema").GetString());
        Assert.Equal(0.05, root.GetProperty("declinedRate").GetDouble());
        Assert.Equal(20, root.GetProperty("systemWarmupSeconds").GetDouble());
        Assert.Equal(1, root.GetProperty("rounds").GetInt32());
        Assert.Equal([Before, ThisTree], root.GetProperty("runs").EnumerateArray().Select(run => run.GetProperty("build").GetString()));
        Assert.Equal([1, 1], root.GetProperty("runs").EnumerateArray().Select(run => run.GetProperty("round").GetInt32()));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("runs")[0].GetProperty("settling").ValueKind);
        var settling = root.GetProperty("runs")[1].GetProperty("settling");
        Assert.False(settling.GetProperty("quiet").GetBoolean());
        Assert.Equal(180.4, settling.GetProperty("seconds").GetDouble());
        Assert.Equal("aspire dashboard", settling.GetProperty("busiest").GetString());
        var comparison = root.GetProperty("beforeAfter");
        Assert.Equal(Before, comparison.GetProperty("before").GetString());
        Assert.Equal(ThisTree, comparison.GetProperty("after").GetString());
        var level = Assert.Single(comparison.GetProperty("levels").EnumerateArray());
        Assert.Equal(16, level.GetProperty("users").GetInt32());
        Assert.Equal(60, level.GetProperty("ordersPerSecondBefore").GetDouble());
        Assert.Equal(90, level.GetProperty("ordersPerSecondAfter").GetDouble());
        Assert.Equal(1.5, level.GetProperty("ratio").GetDouble());
        Assert.Equal(120, level.GetProperty("orderP50MsBefore").GetDouble());
        Assert.Equal(80, level.GetProperty("orderP50MsAfter").GetDouble());
        Assert.Equal(1.5, level.GetProperty("roundRatios").GetProperty("lowest").GetDouble());
        Assert.Equal(1.5, level.GetProperty("roundRatios").GetProperty("highest").GetDouble());
        Assert.Equal(JsonValueKind.Null, withoutBefore.RootElement.GetProperty("beforeAfter").ValueKind);
    }

    [Fact]
    public void Over_several_rounds_the_tracing_ratio_sets_the_medians_against_each_other_with_the_range_of_each_round_s_ratio()
    {
        SystemRun[] runs =
        [
            Run(TracingMode.On, round: 1, (16, 90)), Run(TracingMode.Off, round: 1, (16, 100)),
            Run(TracingMode.On, round: 2, (16, 100)), Run(TracingMode.Off, round: 2, (16, 95)),
            Run(TracingMode.On, round: 3, (16, 80)), Run(TracingMode.Off, round: 3, (16, 120)),
        ];

        // Medians 90 and 100; the rounds' own ratios 0.9, 1.053 and 0.667.
        Assert.Equal([new TracingRatio(16, 90, 100, 0.9, new RatioRange(0.667, 1.053))], TracingRatio.Of(runs));
    }

    [Fact]
    public void Over_several_rounds_before_and_after_sets_the_medians_against_each_other()
    {
        SystemRun[] before = [Before1(1, 60, 120), Before1(2, 70, 100), Before1(3, 50, 130), Before1(4, 75, 90)];
        SystemRun[] after = [.. Enumerable.Range(1, 4).Select(round => new SystemRun(ThisTree, TracingMode.On, round, [], [Level(16, 65 + (5 * round), 100, [], p50: 100 - round)]))];

        var level = Assert.Single(BeforeAfter.Of(before, after).Levels);

        // An even count: the mean of the two middle ones. Before 65 (60, 70), after 77.5 (75, 80); p50s 110 and 97.5.
        // The rounds' own ratios: 70 / 60, 75 / 70, 80 / 50 and 85 / 75.
        Assert.Equal(new BeforeAfterLevel(16, 65, 77.5, 1.192, 110, 97.5, new RatioRange(1.071, 1.6)), level);

        static SystemRun Before1(int round, double ordersPerSecond, double p50) =>
            new(Before, TracingMode.On, round, [], [Level(16, ordersPerSecond, 100, [], p50: p50)]);
    }

    [Fact]
    public void The_median_of_no_values_is_none_of_an_odd_count_the_middle_one_and_of_an_even_count_the_mean_of_the_two_middle_ones()
    {
        Assert.Null(Median.Of([]));
        Assert.Equal(3, Median.Of([5, 1, 3]));
        Assert.Equal(2.5, Median.Of([4, 1, 3, 2]));
    }

    [Fact]
    public void Over_several_rounds_the_tables_show_each_run_with_its_round_and_the_median_cpu_of_each_system()
    {
        SystemRun[] runs =
        [
            new(ThisTree, TracingMode.On, 1, [], [Level(16, 90, 200, [new("orders", 1, 30, 15), new("redis", 1, 1, 0.5)])]),
            new(ThisTree, TracingMode.Off, 1, [], [Level(16, 100, 200, [new("orders", 1, 20, 10)])]),
            new(ThisTree, TracingMode.On, 2, [], [Level(16, 100, 200, [new("orders", 1, 34, 17)])]),
            new(ThisTree, TracingMode.Off, 2, [], [Level(16, 95, 200, [new("orders", 1, 22, 11)])]),
            new(ThisTree, TracingMode.On, 3, [], [Level(16, 80, 200, [new("orders", 1, 32, 16), new("redis", 1, 3, 1.5)])]),
            new(ThisTree, TracingMode.Off, 3, [], [Level(16, 120, 200, [new("orders", 1, 24, 12)])]),
        ];

        var text = OrderPathTables.Render(Result(runs, TracingRatio.Of(runs), beforeAfter: null, rounds: 3));

        Assert.Equal(
            """
            2 cores, .NET 10.0.0, 2026-12-05 19:30 UTC; closed loop, mix browse=50,order=30,read=20, declined share 0.05, 30 s measured after 5 s of warm-up per level; each system started was warmed for 20 s at the highest level first. Each system was started 3 times, in turn, each round starting one system further on; below the runs, the comparisons and the CPU are of the medians over the rounds, and "per round" is the lowest and highest ratio of two systems of the same round.

            | users | build | tracing | round | orders/s | requests/s | order p50 | order p99 | errors |
            | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |
            | 16 | this tree (def5678) | on | 1 | 90 | 40 | 45.5 ms | 200 ms | 0 |
            | 16 | this tree (def5678) | off | 1 | 100 | 40 | 45.5 ms | 200 ms | 0 |
            | 16 | this tree (def5678) | on | 2 | 100 | 40 | 45.5 ms | 200 ms | 0 |
            | 16 | this tree (def5678) | off | 2 | 95 | 40 | 45.5 ms | 200 ms | 0 |
            | 16 | this tree (def5678) | on | 3 | 80 | 40 | 45.5 ms | 200 ms | 0 |
            | 16 | this tree (def5678) | off | 3 | 120 | 40 | 45.5 ms | 200 ms | 0 |

            | users | orders/s, tracing on | orders/s, tracing off | on / off | per round |
            | ---: | ---: | ---: | ---: | ---: |
            | 16 | 90 | 100 | 0.90 | 0.67–1.05 |

            CPU of this tree (def5678), tracing on, % of one core, median of 3 rounds:

            | process | 16 users |
            | --- | ---: |
            | orders | 32 % |
            | redis | 1 % |
            | all | 33 % (16.5 % of the machine) |

            CPU of this tree (def5678), tracing off, % of one core, median of 3 rounds:

            | process | 16 users |
            | --- | ---: |
            | orders | 22 % |
            | all | 22 % (11 % of the machine) |

            CPU per order at 16 users, ms of CPU time per order placed (each part's share of a core over the orders per second), median of 3 rounds:

            | process | this tree (def5678), tracing on | this tree (def5678), tracing off |
            | --- | ---: | ---: |
            | orders | 3.40 | 2.00 |
            | redis | 0.11 | – |
            | all | 3.44 | 2.00 |

            """.ReplaceLineEndings("\n"),
            text.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Cpu_per_order_is_each_part_s_share_of_a_core_over_the_orders_per_second_the_median_over_the_rounds_that_placed_orders()
    {
        SystemRun[] rounds =
        [
            new(ThisTree, TracingMode.On, 1, [], [Level(16, 40, 200, [new("orders", 1, 20, 10), new("redis", 1, 1, 0.5)])]),
            new(ThisTree, TracingMode.On, 2, [], [Level(16, 100, 200, [new("orders", 1, 40, 20)])]),
            new(ThisTree, TracingMode.On, 3, [], [Level(16, 0, 200, [new("orders", 1, 90, 45)])]),
        ];

        // 20 % of a core is 200 ms of CPU time a second: over 40 orders a second, 5 ms an order. Redis is 0 in the second
        // round; the third placed no orders and is left out.
        Assert.Equal([new OrderCost("orders", 4.5), new OrderCost("redis", 0.125), new OrderCost(CpuPerOrder.All, 4.625)], CpuPerOrder.Of(rounds, 16));
        Assert.Empty(CpuPerOrder.Of(rounds, 4));
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

    private static OrderPathResult Result(IReadOnlyList<SystemRun> runs, IReadOnlyList<TracingRatio> tracingRatios, BeforeAfter? beforeAfter, int rounds = 1) =>
        new(OrderPathResult.SchemaName, new DateTimeOffset(2026, 12, 5, 19, 30, 0, TimeSpan.Zero), "cmd", 2, ".NET 10.0.0", 30, 5, 20, "browse=50,order=30,read=20", 0.05, rounds, runs, tracingRatios, beforeAfter);

    private static LevelRun Level(int users, double ordersPerSecond, double orderP99, IReadOnlyList<ProcessCpu> cpu, double? p50 = 45.5) =>
        new(users, new LevelFigures(ordersPerSecond, 40, p50, orderP99, 1_200, 0, 30), cpu, "loadgen.json");

    private static SystemRun Run(string tracing, params (int Users, double OrdersPerSecond)[] levels) => Run(tracing, round: 1, levels);

    private static SystemRun Run(string tracing, int round, params (int Users, double OrdersPerSecond)[] levels) =>
        new(ThisTree, tracing, round, [], [.. levels.Select(level => Level(level.Users, level.OrdersPerSecond, 100, []))]);

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
