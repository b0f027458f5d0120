using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.Options;
using OrderSystem.Contracts;
using OrderSystem.Orders.Data;
using OrderSystem.Orders.Inventory;
using OrderSystem.Orders.Model;
using OrderSystem.Orders.Payments;
using OrderSystem.Orders.Telemetry;

namespace OrderSystem.Orders.Placement;

/// <summary>
/// Places an order: CheckInventory, CreateOrderInDB (PENDING), DeductInventory, ProcessPayment, then CONFIRMED with its
/// <c>order.created</c> event in the outbox, or compensation (stock released, nothing kept charged) and FAILED. Once the
/// order row exists, the saga runs to a final state even if the caller gives up; if this process dies instead, the
/// order's lease runs out and StalledOrderRecovery finishes it. See docs/orders.md for the failure matrix.
/// </summary>
public sealed partial class OrderPlacementSaga(
    OrderStore store,
    InventoryStock inventory,
    PaymentsClient payments,
    PaymentOutcomeResolver paymentOutcomes,
    OrderCompletion completion,
    SagaPause pause,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    IOptions<OrdersOptions> options,
    ILogger<OrderPlacementSaga> logger)
{
    /// <summary>The system charges in one currency.</summary>
    public const string Currency = "USD";

    /// <summary>The largest total Payments and the <c>numeric(12, 2)</c> columns hold.</summary>
    public const decimal MaxTotal = 9_999_999_999.99m;

    private static readonly TimeSpan DuplicatePollInterval = TimeSpan.FromMilliseconds(100);

    /// <exception cref="RpcException">Invalid input, unknown SKUs, insufficient stock, or Inventory unavailable, before any order exists.</exception>
    public async Task<PlacementResult> PlaceAsync(CreateOrderCommand command, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var callDeadline = deadline ?? timeProvider.GetUtcNow() + options.Value.CallTimeout;
        if (command.IdempotencyKey is { } key && await store.FindByIdempotencyKeyAsync(command.UserId, key, cancellationToken) is { } earlier)
        {
            return await ReplayAsync(earlier, command, callDeadline, cancellationToken);
        }

        // Chosen up front so every step's span, CheckInventory included, names the order it is for.
        var orderId = Guid.CreateVersion7(timeProvider.GetUtcNow());
        var lines = await CheckInventoryAsync(orderId, command, callDeadline, cancellationToken);
        var order = NewOrder(orderId, command, lines);
        var lease = LeaseUntil();
        if (!await CreateOrderInDbAsync(order, lease, cancellationToken))
        {
            // A concurrent request with the same key inserted first: it runs the saga, this one reports its result.
            var winner = await store.FindByIdempotencyKeyAsync(command.UserId, command.IdempotencyKey!, cancellationToken)
                ?? throw new InvalidOperationException($"the order holding idempotency key '{command.IdempotencyKey}' disappeared");
            return await ReplayAsync(winner, command, callDeadline, cancellationToken);
        }

        // From here the order exists and must end CONFIRMED or FAILED, so the steps no longer stop when the caller
        // gives up; only shutdown stops them, and recovery takes over when the lease runs out.
        var sagaToken = lifetime.ApplicationStopping;
        try
        {
            return await RunAsync(order, lease, command, callDeadline, sagaToken);
        }
        catch (Exception exception) when (sagaToken.IsCancellationRequested)
        {
            LogInterruptedByShutdown(exception, order.Id);
            return PlacementResult.Failed(order, StatusCode.Unavailable,
                $"Orders is shutting down; order {order.Id} will be completed or rolled back automatically. Retry with the same idempotency key to read it.");
        }
    }

    private async Task<PlacementResult> RunAsync(OrderRecord order, DateTimeOffset lease, CreateOrderCommand command, DateTimeOffset callDeadline, CancellationToken cancellationToken)
    {
        var deduct = await DeductInventoryAsync(order, callDeadline, cancellationToken);
        switch (deduct.Outcome)
        {
            case StockChangeOutcome.Insufficient:
                return Answer(await completion.FailAsync(order, OrderFailure.InsufficientStock, releaseStock: false, paymentId: null, cancellationToken),
                    StatusCode.FailedPrecondition, deduct.Error?.Status.Detail);
            case StockChangeOutcome.UnknownSku:
                return Answer(await completion.FailAsync(order, OrderFailure.ProductGone, releaseStock: false, paymentId: null, cancellationToken),
                    StatusCode.FailedPrecondition, deduct.Error?.Status.Detail);
            case StockChangeOutcome.Unknown:
                return Answer(await completion.FailAsync(order, OrderFailure.InventoryUnavailable, releaseStock: true, paymentId: null, cancellationToken),
                    StatusCode.Unavailable, deduct.Describe());
        }

        if (OrderLease.NeedsRenewal(lease, timeProvider.GetUtcNow(), options.Value.PendingTimeout)
            && !await store.TryRenewLeaseAsync(order.Id, LeaseUntil(), cancellationToken))
        {
            // Recovery finished the order meanwhile (this saga stalled past its lease): report what it decided.
            return Answer(await store.FindAsync(order.Id, cancellationToken) ?? order, StatusCode.Aborted, "the order was resolved by recovery");
        }

        var payment = await ProcessPaymentAsync(order, command, cancellationToken);
        if (payment.Kind == PaymentOutcomeKind.Captured)
        {
            await pause.HoldAfterPaymentAsync(order.Id, cancellationToken);
        }

        return payment.Kind switch
        {
            PaymentOutcomeKind.Captured => Answer(await completion.ConfirmAsync(order, payment.PaymentId!.Value, cancellationToken), StatusCode.OK, null),
            // A decline is an answer, not an error: the FAILED order says why, and the Gateway turns it into a 402.
            PaymentOutcomeKind.Declined => Answer(await completion.FailAsync(order, OrderFailure.PaymentDeclined(payment.Detail), releaseStock: true, payment.PaymentId, cancellationToken),
                StatusCode.OK, null),
            PaymentOutcomeKind.Rejected => Answer(await completion.FailAsync(order, OrderFailure.PaymentRejected(payment.Detail), releaseStock: true, payment.PaymentId, cancellationToken),
                StatusCode.InvalidArgument, payment.Detail),
            PaymentOutcomeKind.NotCharged => Answer(await completion.FailAsync(order, OrderFailure.PaymentFailed(payment.Detail), releaseStock: true, payment.PaymentId, cancellationToken),
                StatusCode.Unavailable, payment.Detail),
            _ => Answer(order, StatusCode.Unavailable, $"the payment outcome is not known yet ({payment.Detail})"),
        };
    }

    /// <summary>
    /// The answer for an order the saga is done with: the order itself when it is CONFIRMED (or FAILED and
    /// <paramref name="failureStatus"/> is OK); otherwise an error naming it.
    /// </summary>
    private static PlacementResult Answer(OrderRecord order, StatusCode failureStatus, string? cause) => order.Status switch
    {
        OrderStatus.Confirmed => PlacementResult.Completed(order),
        OrderStatus.Failed when failureStatus == StatusCode.OK => PlacementResult.Completed(order),
        OrderStatus.Failed => PlacementResult.Failed(order, failureStatus, $"order {order.Id} failed: {order.Failure?.Reason}" + (cause is null ? string.Empty : $" ({cause})")),
        _ => PlacementResult.Failed(order, StatusCode.Unavailable,
            $"order {order.Id} is not finished: {cause}. It will be completed or rolled back automatically; retry with the same idempotency key to read it."),
    };

    private async Task<PlacementResult> ReplayAsync(OrderRecord earlier, CreateOrderCommand command, DateTimeOffset callDeadline, CancellationToken cancellationToken)
    {
        if (!command.HasSameLines(earlier.Lines.Select(line => (line.Sku, line.Quantity))))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"idempotency_key '{command.IdempotencyKey}' was already used for order {earlier.Id} with different items; use a new key for a new order"));
        }

        // The first request may still be running the saga: wait (bounded) for its final state rather than report PENDING.
        var waitUntil = Min(callDeadline, timeProvider.GetUtcNow() + options.Value.DuplicateWaitTimeout);
        var order = earlier;
        while (!order.IsTerminal && timeProvider.GetUtcNow() + DuplicatePollInterval < waitUntil)
        {
            await Task.Delay(DuplicatePollInterval, timeProvider, cancellationToken);
            order = await store.FindAsync(order.Id, cancellationToken) ?? order;
        }

        LogReplayed(order.Id, order.Status.ToText());
        // A FAILED order is answered as the first request was: a decline as the order (the Gateway's 402), any other
        // failure as an error, so a caller that retried an UNAVAILABLE answer is not told its payment was declined.
        return order is { Status: OrderStatus.Failed, Failure: { StatusCode: not StatusCode.OK } failure }
            ? PlacementResult.Failed(order, failure.StatusCode, $"order {order.Id} failed: {failure.Reason}")
            : PlacementResult.Completed(order, replayed: true);
    }

    private async Task<IReadOnlyList<OrderLine>> CheckInventoryAsync(Guid orderId, CreateOrderCommand command, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        using var activity = OrdersTelemetry.StartStep(OrdersTelemetry.CheckInventory, orderId, command.Lines.Count, command.UserId);
        StockAvailability availability;
        try
        {
            availability = await inventory.CheckAvailabilityAsync(command.Lines, deadline, cancellationToken);
        }
        catch (RpcException exception)
        {
            activity.SetOutcome("error", exception.StatusCode.ToString(), exception.Status.Detail);
            // The caller's own mistakes and deadline pass through; any other failure of Inventory is Inventory being unavailable.
            var statusCode = exception.StatusCode is StatusCode.InvalidArgument or StatusCode.DeadlineExceeded or StatusCode.Cancelled
                ? exception.StatusCode
                : StatusCode.Unavailable;
            throw new RpcException(new Status(statusCode, $"Inventory could not check the stock: {exception.Status.Detail}", exception));
        }

        var unknown = command.Lines.Where(line => availability.Find(line.Sku) is not { Known: true }).Select(line => line.Sku).ToList();
        if (unknown.Count > 0)
        {
            activity.SetOutcome("unknown_sku");
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"unknown SKU{(unknown.Count > 1 ? "s" : string.Empty)}: {string.Join(", ", unknown)}"));
        }

        var missing = command.Lines
            .Select(line => (line.Sku, line.Quantity, Available: availability.Find(line.Sku)!.Available))
            .Where(line => line.Available < line.Quantity)
            .Select(line => $"{line.Sku} (requested {line.Quantity}, available {line.Available})")
            .ToList();
        if (missing.Count > 0)
        {
            activity.SetOutcome("insufficient");
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"insufficient stock: {string.Join(", ", missing)}; nothing was ordered or charged"));
        }

        activity.SetOutcome("available");
        return [.. command.Lines.Select(line => new OrderLine(line.Sku, line.Quantity, availability.Find(line.Sku)!.UnitPrice))];
    }

    private OrderRecord NewOrder(Guid orderId, CreateOrderCommand command, IReadOnlyList<OrderLine> lines)
    {
        var total = lines.Sum(line => line.Amount);
        if (command.Amount is { } amount && amount != total)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"payment.amount {DecimalString.Format(amount)} does not match the order total {DecimalString.Format(total)} at the current prices"));
        }

        if (total is <= 0 or > MaxTotal)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"the order total {DecimalString.Format(total)} must be greater than 0 and at most {DecimalString.Format(MaxTotal)}"));
        }

        var now = timeProvider.GetDatabaseNow();
        var server = Activity.Current;
        return new OrderRecord(
            orderId,
            command.UserId,
            OrderStatus.Pending,
            Failure: null,
            lines,
            total,
            Currency,
            command.IdempotencyKey,
            PaymentId: null,
            server is null ? null : OrdersTelemetry.FormatTraceParent(server.Context),
            server?.TraceStateString,
            now,
            now);
    }

    private async Task<bool> CreateOrderInDbAsync(OrderRecord order, DateTimeOffset lease, CancellationToken cancellationToken)
    {
        using var activity = OrdersTelemetry.StartStep(OrdersTelemetry.CreateOrderInDb, order.Id, order.Lines.Count, order.UserId);
        try
        {
            var inserted = await store.TryInsertPendingAsync(order, lease, cancellationToken);
            activity.SetOutcome(inserted ? "created" : "duplicate");
            return inserted;
        }
        catch (Exception exception)
        {
            activity.SetOutcome("error", exception.GetType().FullName, exception.Message);
            throw;
        }
    }

    private async Task<StockChange> DeductInventoryAsync(OrderRecord order, DateTimeOffset callDeadline, CancellationToken cancellationToken)
    {
        using var activity = OrdersTelemetry.StartStep(OrdersTelemetry.DeductInventory, order.Id, order.Lines.Count, order.UserId);
        // The caller's deadline, but never longer than the lease: recovery must not take over a live step.
        var deduct = await inventory.DeductAsync(order, Min(callDeadline, timeProvider.GetUtcNow() + options.Value.CallTimeout), cancellationToken);
        activity.SetOutcome(
            deduct.Outcome switch
            {
                StockChangeOutcome.Applied => "deducted",
                StockChangeOutcome.Replayed => "replayed",
                StockChangeOutcome.Insufficient => "insufficient",
                StockChangeOutcome.UnknownSku => "unknown_sku",
                _ => "unknown",
            },
            deduct.Outcome == StockChangeOutcome.Unknown ? deduct.Error?.StatusCode.ToString() : null,
            deduct.Error?.Status.Detail);
        return deduct;
    }

    private async Task<PaymentOutcome> ProcessPaymentAsync(OrderRecord order, CreateOrderCommand command, CancellationToken cancellationToken)
    {
        using var activity = OrdersTelemetry.StartStep(OrdersTelemetry.ProcessPayment, order.Id, order.Lines.Count, order.UserId);
        var answer = await payments.ChargeAsync(
            new PaymentCharge(order.Id, order.TotalAmount, order.Currency, command.PaymentMethod, command.CardNumber), cancellationToken);
        var outcome = answer switch
        {
            { State: PaymentState.Captured, PaymentId: { } paymentId } => new PaymentOutcome(PaymentOutcomeKind.Captured, paymentId, null),
            { State: PaymentState.Declined } => new PaymentOutcome(PaymentOutcomeKind.Declined, answer.PaymentId, answer.Detail),
            { State: PaymentState.Rejected } => new PaymentOutcome(PaymentOutcomeKind.Rejected, answer.PaymentId, answer.Detail),
            // No answer, or one that does not settle it: Payments knows whether the charge happened.
            _ => await ResolvePaymentAsync(order, answer, cancellationToken),
        };

        activity.SetOutcome(
            outcome.Kind switch
            {
                PaymentOutcomeKind.Captured => "captured",
                PaymentOutcomeKind.Declined => "declined",
                PaymentOutcomeKind.Rejected => "rejected",
                PaymentOutcomeKind.NotCharged => "not_charged",
                _ => "unknown",
            },
            outcome.Kind is PaymentOutcomeKind.NotCharged or PaymentOutcomeKind.Unknown ? answer.State.ToString() : null,
            outcome.Detail);
        return outcome;
    }

    private async Task<PaymentOutcome> ResolvePaymentAsync(OrderRecord order, PaymentAnswer answer, CancellationToken cancellationToken)
    {
        LogPaymentUncertain(order.Id, answer.State, answer.Detail);
        Activity.Current?.AddEvent(new ActivityEvent("payment_outcome_unknown", tags: new ActivityTagsCollection { ["payment.answer"] = answer.State.ToString() }));
        return await paymentOutcomes.ResolveAsync(order.Id, cancellationToken);
    }

    private DateTimeOffset LeaseUntil() => timeProvider.GetUtcNow() + options.Value.PendingTimeout;

    private static DateTimeOffset Min(DateTimeOffset first, DateTimeOffset second) => first < second ? first : second;

    [LoggerMessage(Level = LogLevel.Information, Message = "Request repeated idempotency key of order {OrderId} ({Status}): answering with that order")]
    private partial void LogReplayed(Guid orderId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The payment call for order {OrderId} gave no final answer ({PaymentState}: {Detail}); asking Payments for the outcome")]
    private partial void LogPaymentUncertain(Guid orderId, PaymentState paymentState, string? detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown interrupted the saga of order {OrderId}; recovery will finish it")]
    private partial void LogInterruptedByShutdown(Exception exception, Guid orderId);
}
