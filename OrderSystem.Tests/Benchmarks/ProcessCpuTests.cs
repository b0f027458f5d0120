using OrderSystem.Benchmarks.OrderPath;

namespace OrderSystem.Tests.Benchmarks;

/// <summary>The order-path benchmark's CPU accounting: /proc stat lines, which part a process is, and shares over a window sampled at its ends and in between.</summary>
[Trait("Category", "Unit")]
public sealed class ProcessCpuTests
{
    // A real line's shape (proc(5)); the name holds a space and a parenthesis, as a thread or process name may.
    private const string StatLine =
        "4242 (Sneaky (x) name) S 17 4242 4242 0 -1 4194560 8151 0 0 0 1234 567 0 0 20 0 23 0 987654 3521490944 31040 18446744073709551615 1 1 0 0 0 0 0 4096 17663 0 0 0 17 1 0 0 0 0 0";

    [Fact]
    public void A_stat_line_gives_the_name_parent_cpu_ticks_and_start_time()
    {
        var stat = ProcessStat.Parse(StatLine);

        Assert.Equal(new ProcessStat(4242, "Sneaky (x) name", 17, 1234, 567, 987654), stat);
        Assert.Equal(1801, stat.CpuTicks);
    }

    [Fact]
    public void This_process_reads_as_itself()
    {
        var self = Assert.Single(ProcessTable.Read(), process => process.Stat.Pid == Environment.ProcessId);

        Assert.Equal(Environment.ProcessId, ProcessStat.Parse(File.ReadAllText("/proc/self/stat")).Pid);
        Assert.True(self.Stat.CpuTicks > 0, "a running test process has used some CPU");
        Assert.Contains(ProcessTable.TreeOf(ProcessTable.Read(), self.Stat.ParentPid), process => process.Stat.Pid == Environment.ProcessId);
    }

    [Theory]
    [InlineData("12 (nothing")]
    [InlineData("12 (short) S 1 2 3")]
    [InlineData("")]
    public void A_line_that_is_not_a_stat_line_is_refused(string line) =>
        Assert.Throws<FormatException>(() => ProcessStat.Parse(line));

    [Theory]
    [InlineData("Gateway", "/repo/Gateway/bin/Release/net10.0/Gateway", "gateway")]
    [InlineData("dotnet", "/usr/share/dotnet/dotnet exec /repo/Orders/bin/Release/net10.0/Orders.dll", "orders")]
    [InlineData("dotnet", "dotnet run --project /repo/Inventory/Inventory.csproj --no-build", "inventory")]
    [InlineData("OrderSystem.Dia", "/repo/OrderSystem.Diagnostics/bin/Release/net10.0/OrderSystem.Diagnostics", "diagnostics")]
    [InlineData("OrderSystem.Kaf", "/repo/OrderSystem.KafkaBroker/bin/Release/net10.0/OrderSystem.KafkaBroker --port 1234", "kafka broker")]
    [InlineData("Aspire.Dashboar", "/root/.nuget/packages/aspire.dashboard.sdk.linux-x64/13.6.5/tools/Aspire.Dashboard", "aspire dashboard")]
    [InlineData("postgres", "postgres: postgres ordersdb 127.0.0.1(40412) idle", "postgresql")]
    [InlineData("redis-server", "redis-server 127.0.0.1:6379", "redis")]
    [InlineData("dcp", "/root/.nuget/packages/aspire.hosting.orchestration.linux-x64/13.6.5/tools/dcp start-apiserver", "dcp")]
    [InlineData("dcpctrl", "/root/.nuget/packages/aspire.hosting.orchestration.linux-x64/13.6.5/tools/ext/bin/dcpctrl run-controllers", "dcp")]
    [InlineData("setpriv", "setpriv --reuid=postgres /usr/lib/postgresql/15/bin/initdb", "other")]
    [InlineData("bash", "bash -c sleep 1", "other")]
    public void A_process_is_named_with_the_part_of_the_system_it_runs(string name, string commandLine, string part) =>
        Assert.Equal(part, ResourceProcesses.Classify(new ProcessEntry(new ProcessStat(100, name, 1, 0, 0, 0), commandLine), appHostPid: 99));

    [Fact]
    public void The_apphost_is_known_by_its_pid()
    {
        var appHost = new ProcessEntry(new ProcessStat(99, "OrderSystem.App", 1, 0, 0, 0), "/repo/OrderSystem.AppHost/bin/Release/net10.0/OrderSystem.AppHost");

        Assert.Equal(ResourceProcesses.AppHost, ResourceProcesses.Classify(appHost, appHostPid: 99));
    }

    [Fact]
    public void The_system_is_the_apphost_s_tree_and_the_tree_of_the_dcp_that_monitors_it()
    {
        ProcessEntry[] processes =
        [
            Entry(1, "init", 0, "/sbin/init"),
            Entry(99, "OrderSystem.App", 50, "/repo/OrderSystem.AppHost/bin/Release/net10.0/OrderSystem.AppHost"),
            Entry(100, "Aspire.Dashboar", 99, "/root/.nuget/packages/aspire.dashboard.sdk.linux-x64/13.6.5/tools/Aspire.Dashboard"),
            // DCP's API server detaches: init is its parent.
            Entry(200, "dcp", 1, "/tools/dcp start-apiserver --monitor 99 --kubeconfig /tmp/k"),
            Entry(201, "dcp", 200, "/tools/dcp run-controllers --kubeconfig /tmp/k"),
            Entry(202, "dotnet", 201, "dotnet run --project /repo/Gateway/Gateway.csproj --no-build"),
            Entry(203, "Gateway", 202, "/repo/Gateway/bin/Release/net10.0/Gateway"),
            Entry(204, "sh", 201, "sh -c \"$@\" postgres /usr/lib/postgresql/15/bin/postgres -D /state/postgres/data"),
            Entry(205, "postgres", 204, "/usr/lib/postgresql/15/bin/postgres -D /state/postgres/data"),
            Entry(206, "postgres", 205, "postgres: checkpointer"),
            // Another AppHost's DCP (pid 991 shares a prefix with 99), and a process outside any system.
            Entry(300, "dcp", 1, "/tools/dcp start-apiserver --monitor 991 --kubeconfig /tmp/other"),
            Entry(301, "Orders", 300, "/other/Orders/bin/Release/net10.0/Orders"),
            Entry(400, "bash", 1, "bash"),
        ];

        var system = ResourceProcesses.OfSystem(processes, appHostPid: 99);

        Assert.Equal([99, 100, 200, 201, 202, 203, 204, 205, 206], system.Select(process => process.Stat.Pid).Order());
        Assert.Equal(
            ["apphost", "aspire dashboard", "dcp", "dcp", "gateway", "gateway", "postgresql", "postgresql", "postgresql"],
            system.OrderBy(process => process.Stat.Pid).Select(process => ResourceProcesses.Classify(process, appHostPid: 99)));
    }

    [Fact]
    public void Shares_add_up_each_part_s_processes_over_the_window_as_a_share_of_a_core_and_of_the_machine()
    {
        (string, ProcessStat)[] before =
        [
            ("orders", Stat(10, ticks: 1_000, startTime: 5)),
            ("postgresql", Stat(20, ticks: 300, startTime: 6)),
            ("postgresql", Stat(21, ticks: 100, startTime: 7)),
            ("payments", Stat(30, ticks: 50, startTime: 8)), // ends before the window's next sample: not counted
        ];
        (string, ProcessStat)[] after =
        [
            ("orders", Stat(10, ticks: 1_500, startTime: 5)),      // 500 ticks
            ("postgresql", Stat(20, ticks: 400, startTime: 6)),   // 100
            ("postgresql", Stat(21, ticks: 150, startTime: 7)),   // 50
            ("postgresql", Stat(22, ticks: 50, startTime: 900)),  // started within the window: all of its 50
            ("gateway", Stat(30, ticks: 20, startTime: 950)),     // pid 30 again, another process: all of its 20
        ];

        // 10 s at 100 ticks per second: 1,000 ticks are one core.
        var shares = CpuShares.Over([before, after], TimeSpan.FromSeconds(10), ticksPerSecond: 100, cores: 2);

        Assert.Equal(
            [
                new ProcessCpu("orders", 1, 50, 25),
                new ProcessCpu("postgresql", 3, 20, 10),
                new ProcessCpu("gateway", 1, 2, 1),
            ],
            shares);
    }

    [Fact]
    public void A_process_that_ends_within_the_window_keeps_what_it_used_until_the_last_sample_that_saw_it()
    {
        (string, ProcessStat)[] start =
        [
            ("postgresql", Stat(20, ticks: 300, startTime: 6)),
            ("postgresql", Stat(21, ticks: 100, startTime: 7)),
        ];
        // Backend 21 is closed by its pool after this sample; backend 22 starts and ends between the samples around it.
        (string, ProcessStat)[] middle =
        [
            ("postgresql", Stat(20, ticks: 350, startTime: 6)),
            ("postgresql", Stat(21, ticks: 180, startTime: 7)),
            ("postgresql", Stat(22, ticks: 40, startTime: 900)),
        ];
        (string, ProcessStat)[] end = [("postgresql", Stat(20, ticks: 400, startTime: 6))];

        var shares = CpuShares.Over([start, middle, end], TimeSpan.FromSeconds(10), ticksPerSecond: 100, cores: 2);

        // 100 + 80 + 40 ticks of 1,000: 22 % of a core; with only the window's two ends it would be 100 ticks, 10 %.
        Assert.Equal([new ProcessCpu("postgresql", 3, 22, 11)], shares);
        Assert.Equal([new ProcessCpu("postgresql", 1, 10, 5)], CpuShares.Over([start, end], TimeSpan.FromSeconds(10), ticksPerSecond: 100, cores: 2));
    }

    [Fact]
    public void A_window_needs_its_start_and_its_end() =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            CpuShares.Over([[("orders", Stat(10, ticks: 1, startTime: 5))]], TimeSpan.FromSeconds(1), ticksPerSecond: 100, cores: 2));

    private static ProcessEntry Entry(int pid, string name, int parentPid, string commandLine) =>
        new(new ProcessStat(pid, name, parentPid, 0, 0, 0), commandLine);

    private static ProcessStat Stat(int pid, long ticks, long startTime) => new(pid, "p", 1, ticks - (ticks / 4), ticks / 4, startTime);
}
