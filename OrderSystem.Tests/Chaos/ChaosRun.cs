using System.Globalization;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Npgsql;
using OrderSystem.Diagnostics.Audit;
using OrderSystem.ServiceDefaults.Faults;
using OrderSystem.Tests.Audit;
using OrderSystem.Tests.Faults;
using OrderSystem.Tests.Infrastructure;
using static OrderSystem.Tests.Infrastructure.JaegerTrace;

namespace OrderSystem.Tests.Chaos;

/// <summary>
/// The chaos sequence of issue 14 on a running topology, under <see cref="ChaosLoad"/>: each fault in turn, then the
/// consistency audit until every order since the start has settled with nothing lost or doubled (docs/reliability.md).
/// </summary>
internal sealed class ChaosRun(Topology application, ChaosLoad load, FaultHarness faults, ChaosRunSize size)
{
    /// <summary>Settled as soon as the notifications are in; a PENDING order is stuck once recovery has had long enough.</summary>
    private static readonly AuditOptions Settled = new() { SettleGrace = TimeSpan.Zero, StuckAfter = TimeSpan.FromMinutes(2) };

    /// <summary>Killed services come back from a cold start on a loaded machine; recovery then waits out a lease.</summary>
    private static readonly TimeSpan SettleDeadline = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan FaultWindowDeadline = TimeSpan.FromSeconds(60);

    /// <summary>The services a step kills; <see cref="RestoreAsync"/> starts any of them that a failed step left down.</summary>
    private static readonly string[] Killable = ["orders", "inventory", "payments", "notifications"];

    private readonly List<ChaosStepResult> _results = [];
    private DateTimeOffset _since;
    private IReadOnlyDictionary<string, int>? _baseline;

    public IReadOnlyList<ChaosStepResult> Results => _results;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Takes the stock baseline (no order may be in flight) and starts the clients.</summary>
    public async Task StartAsync()
    {
        await using (var audit = new TopologyAudit(application))
        {
            _baseline = await audit.TakeStockBaselineAsync(Token);
        }

        // No margin before it: the fixture's warm-up order may have ended a moment ago, and a window that took in its
        // payment but not its deduction would report it as confirmed without stock.
        _since = DateTimeOffset.UtcNow;
        load.Start();
    }

    /// <summary>Orders held in the payment (payments-slow-provider); Orders killed once one has its stock deducted.</summary>
    public Task KillOrdersAfterDeductionAsync() => KillOrdersMidSagaAsync(
        "after the deduction",
        KnownFaults.PaymentsSlowProvider,
        new Dictionary<string, double> { [KnownFaults.ExtraLatencyMsParameter] = 4000 },
        async pending => (await DeductedAsync(pending)).Count > 0,
        "an order PENDING with its stock deducted");

    /// <summary>Sagas held after the captured payment (orders-saga-pause); Orders killed once one is paid and still PENDING.</summary>
    public Task KillOrdersAfterPaymentAsync() => KillOrdersMidSagaAsync(
        "after the payment",
        KnownFaults.OrdersSagaPause,
        null,
        async pending => (await CapturedAsync(pending)).Count > 0,
        "an order PENDING with its payment captured");

    /// <summary>A service killed while orders flow through it, and started again.</summary>
    public Task KillAsync(string service) => RunStepAsync(
        $"kill -9 {service}",
        async () =>
        {
            await load.WaitForAnswersAsync(size.OrdersBeforeAKill, FaultWindowDeadline, $"orders flowing before {service} is killed");
            await application.KillResourceAsync(service, Token);
            var pending = await PendingOrdersAsync();
            await application.StartResourceAsync(service, Token);
            return pending;
        });

    public Task RestartPostgresAsync() => RunStepAsync(
        "restart postgres",
        async () =>
        {
            await load.WaitForAnswersAsync(size.OrdersBeforeAKill, FaultWindowDeadline, "orders flowing before PostgreSQL stops");
            // The orders in flight when it stops: with the server down they cannot be read after.
            var pending = await PendingOrdersAsync();
            await application.StopResourceAsync("postgres", Token);
            try
            {
                await application.StartResourceAsync("postgres", Token);
            }
            finally
            {
                // The restart ended every session, so this process's pooled connections are dead (see TopologyTests).
                NpgsqlConnection.ClearAllPools();
            }

            return pending;
        });

    public Task StopRedisAsync() => RunStepAsync(
        $"stop redis for {size.OrdersDuringAnOutage} orders",
        async () =>
        {
            await application.StopResourceAsync("cache", Token);
            try
            {
                await load.WaitForAnswersAsync(size.OrdersDuringAnOutage, FaultWindowDeadline, "orders answered while Redis is down");
                return await PendingOrdersAsync();
            }
            finally
            {
                await application.StartResourceAsync("cache", Token);
            }
        });

    public Task KafkaOutageAsync() => RunStepAsync(
        $"kafka-outage for {size.OrdersDuringAnOutage} orders",
        async () =>
        {
            await faults.SetAsync(KnownFaults.KafkaOutage, enabled: true);
            try
            {
                await WaitForFailedSendAsync();
                await load.WaitForAnswersAsync(size.OrdersDuringAnOutage, FaultWindowDeadline, "orders answered while the broker is down");
                return await UnnotifiedAsync();
            }
            finally
            {
                await faults.SetAsync(KnownFaults.KafkaOutage, enabled: false);
            }
        });

    /// <summary>
    /// A backlog held by kafka-outage, released with the clients paused, and Notifications killed as soon as its first
    /// notification is stored, while the rest of the backlog flows; started again, it is handed the messages whose
    /// offsets it had not committed, and must not notify anyone twice.
    /// </summary>
    public Task KillNotificationsWhileConsumingAsync() => RunStepAsync(
        "kill -9 notifications while consuming",
        async () =>
        {
            await faults.SetAsync(KnownFaults.KafkaOutage, enabled: true);
            try
            {
                await WaitForFailedSendAsync();
                await load.WaitForAnswersAsync(size.OrdersDuringAnOutage, FaultWindowDeadline, "a backlog of orders while the broker is down");
            }
            finally
            {
                load.Pause();
                await faults.SetAsync(KnownFaults.KafkaOutage, enabled: false);
            }

            var backlog = await UnnotifiedAsync();
            await Eventually.WaitUntilAsync(async () => (await UnnotifiedAsync(backlog)).Count < backlog.Count,
                FaultWindowDeadline, "Notifications to store the backlog's first notification", TimeSpan.FromMilliseconds(50));
            await application.KillResourceAsync("notifications", Token);
            var unnotified = await UnnotifiedAsync(backlog);
            await application.StartResourceAsync("notifications", Token);
            return unnotified;
        });

    /// <summary>Holds sagas with <paramref name="hold"/> until a PENDING order is at the point to hit, then kills Orders there.</summary>
    private Task KillOrdersMidSagaAsync(string point, string hold, IReadOnlyDictionary<string, double>? parameters, Func<IReadOnlyCollection<Guid>, Task<bool>> atThePoint, string what) =>
        RunStepAsync(
            $"kill -9 orders {point}",
            async () =>
            {
                await faults.SetAsync(hold, enabled: true, parameters);
                await Eventually.WaitUntilAsync(async () => await atThePoint(await PendingOrdersAsync()), FaultWindowDeadline, what);
                await application.KillResourceAsync("orders", Token);
                var pending = await PendingOrdersAsync();
                await faults.SetAsync(hold, enabled: false);
                await application.StartResourceAsync("orders", Token);
                return pending;
            });

    /// <summary>Switches every lever off and starts what a failed step left down: the collection's other tests share the topology.</summary>
    public async Task RestoreAsync()
    {
        // The switches live in Redis: the servers first.
        foreach (var resource in new[] { "postgres", "cache" }.Concat(Killable))
        {
            if (application.Notifications.TryGetCurrentState(resource, out var state) && KnownResourceStates.TerminalStates.Contains(state.Snapshot.State?.Text))
            {
                await application.StartResourceAsync(resource, CancellationToken.None);
                NpgsqlConnection.ClearAllPools();
            }
        }

        foreach (var fault in new[] { KnownFaults.PaymentsSlowProvider, KnownFaults.OrdersSagaPause, KnownFaults.KafkaOutage })
        {
            await faults.SetAsync(fault, enabled: false);
        }
    }

    /// <summary>
    /// The broker takes up to a second to read the switch, and Orders' relay notices at its next send: the outage is
    /// real once a send of an order of this run has failed (Orders' message.timeout.ms, 5 s) and waits in the outbox.
    /// </summary>
    private Task WaitForFailedSendAsync() => Eventually.WaitUntilAsync(
        async () => (await IdsAsync("ordersdb", "SELECT message_key::uuid FROM outbox WHERE attempts > 0 AND published_at IS NULL AND created_at >= @since", null)).Count > 0,
        FaultWindowDeadline, "a send to the broker to fail and wait in the outbox");

    /// <param name="fault">Injects the fault and ends it (the service started again, the switch off); returns the orders it caught unfinished.</param>
    private async Task RunStepAsync(string name, Func<Task<IReadOnlyCollection<Guid>>> fault)
    {
        load.Resume();
        var before = load.Counts;
        var injectedAt = DateTimeOffset.UtcNow;
        var unfinished = await fault();
        var endedAt = DateTimeOffset.UtcNow;
        var placed = load.Counts.Since(before);
        // New orders would keep the audit from ever seeing everything settled; orders in progress are still retried.
        load.Pause();

        AuditReport report;
        await using (var audit = new TopologyAudit(application))
        {
            report = await audit.WaitUntilSettledAsync(_since, Settled, _baseline, SettleDeadline, Token);
        }

        var settledAt = DateTimeOffset.UtcNow;
        var recovered = unfinished.Count - (await PendingOrdersAsync(unfinished)).Count - (await UnnotifiedAsync(unfinished)).Count;
        _results.Add(new ChaosStepResult(name, placed, unfinished.Count, recovered, endedAt - injectedAt, settledAt - endedAt, report));
        if (!report.IsConsistent || report.InFlight > 0)
        {
            Assert.Fail($"after {name}: {report.InFlight} order(s) still in flight, {report.Violations.Count} violation(s){Environment.NewLine}"
                + $"{TopologyAudit.Describe(report)}{Environment.NewLine}{await DescribeOrdersAsync(report)}");
        }
    }

    /// <summary>What each violating order's trace did, step by step, so a failure can be understood after the topology is gone.</summary>
    private async Task<string> DescribeOrdersAsync(AuditReport report)
    {
        var lines = new List<string>();
        foreach (var traceId in report.Violations.Select(v => v.TraceId).OfType<string>().Distinct())
        {
            using var response = await faults.Dashboard.GetAsync($"/api/traces/{traceId}", Token);
            if (!response.IsSuccessStatusCode)
            {
                lines.Add($"trace {traceId}: {(int)response.StatusCode}");
                continue;
            }

            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
            var trace = document.RootElement.GetProperty("data")[0];
            var processes = trace.GetProperty("processes");
            lines.Add($"trace {traceId}:");
            lines.AddRange(Spans(trace)
                .OrderBy(span => span.GetProperty("startTime").GetInt64())
                .Select(span => $"  {span.GetProperty("startTime").GetInt64() / 1000}ms {processes.GetProperty(span.GetProperty("processID").GetString()!).GetProperty("serviceName").GetString()} "
                    + $"{span.GetProperty("operationName").GetString()} {span.GetProperty("duration").GetInt64() / 1000}ms {Tag(span, "order.outcome") ?? Tag(span, "error.type") ?? string.Empty}"));
        }

        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>PENDING orders since the start of the run (of <paramref name="among"/> when given).</summary>
    private async Task<IReadOnlyCollection<Guid>> PendingOrdersAsync(IReadOnlyCollection<Guid>? among = null) =>
        await IdsAsync("ordersdb",
            "SELECT id FROM orders WHERE status = 'PENDING' AND created_at >= @since AND (@among::uuid[] IS NULL OR id = ANY(@among))",
            among);

    private Task<IReadOnlyCollection<Guid>> DeductedAsync(IReadOnlyCollection<Guid> orders) =>
        IdsAsync("inventorydb", "SELECT DISTINCT order_id FROM inventory_reservations WHERE status = 'DEDUCTED' AND order_id = ANY(@among)", orders);

    private Task<IReadOnlyCollection<Guid>> CapturedAsync(IReadOnlyCollection<Guid> orders) =>
        IdsAsync("paymentsdb", "SELECT order_id FROM payments WHERE status = 'CAPTURED' AND order_id = ANY(@among)", orders);

    /// <summary>CONFIRMED orders since the start (of <paramref name="among"/> when given) without a notification yet.</summary>
    private async Task<IReadOnlyCollection<Guid>> UnnotifiedAsync(IReadOnlyCollection<Guid>? among = null)
    {
        var confirmed = await IdsAsync("ordersdb",
            "SELECT id FROM orders WHERE status = 'CONFIRMED' AND created_at >= @since AND (@among::uuid[] IS NULL OR id = ANY(@among))", among);
        var notified = await IdsAsync("notificationsdb", "SELECT DISTINCT order_id FROM notifications WHERE order_id = ANY(@among)", confirmed);
        return [.. confirmed.Except(notified)];
    }

    private async Task<IReadOnlyCollection<Guid>> IdsAsync(string database, string sql, IReadOnlyCollection<Guid>? among)
    {
        await using var connection = new NpgsqlConnection(application.GetConnectionString(database));
        await connection.OpenAsync(Token);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("since", _since);
        command.Parameters.Add(new NpgsqlParameter("among", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Uuid) { Value = among is null ? DBNull.Value : among.ToArray() });
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(Token);
        while (await reader.ReadAsync(Token))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }
}

/// <summary>How many clients place orders, and how many answered orders the run waits for around a fault.</summary>
internal sealed record ChaosRunSize(int Clients, int OrdersBeforeAKill, int OrdersDuringAnOutage)
{
    /// <summary>A whole number that multiplies the CI-sized run, for a longer run by hand (docs/reliability.md).</summary>
    public const string ScaleVariable = "ORDERSYSTEM_CHAOS_SCALE";

    public static ChaosRunSize Ci { get; } = new(Clients: 3, OrdersBeforeAKill: 3, OrdersDuringAnOutage: 6);

    /// <summary><see cref="Ci"/>, or with <see cref="ScaleVariable"/> set, twice the clients and that many times the orders.</summary>
    public static ChaosRunSize FromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable(ScaleVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var scale) && scale > 1
            ? new(Ci.Clients * 2, Ci.OrdersBeforeAKill * scale, Ci.OrdersDuringAnOutage * scale)
            : Ci;
}
