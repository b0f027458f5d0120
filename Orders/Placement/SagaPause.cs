using System.Diagnostics;
using Microsoft.Extensions.Options;
using OrderSystem.ServiceDefaults.Faults;

namespace OrderSystem.Orders.Placement;

/// <summary>
/// The test-only fault <c>orders-saga-pause</c>: while it is on, a saga whose payment was captured holds before it
/// confirms the order, so a chaos run can kill Orders exactly there (docs/scenarios.md, docs/reliability.md). A hold
/// never outlasts <c>Orders:CallTimeout</c>; should the order's lease run out meanwhile, recovery confirms it from the
/// captured payment and the held saga then finds it confirmed.
/// </summary>
public sealed partial class SagaPause(FaultSwitches faults, TimeProvider timeProvider, IOptions<OrdersOptions> options, ILogger<SagaPause> logger)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public async Task HoldAfterPaymentAsync(Guid orderId, CancellationToken cancellationToken)
    {
        if (!await faults.IsOnAsync(KnownFaults.OrdersSagaPause, cancellationToken))
        {
            return;
        }

        FaultTelemetry.RecordInjected(Activity.Current, KnownFaults.OrdersSagaPause);
        LogHeld(orderId);
        var started = timeProvider.GetTimestamp();
        while (timeProvider.GetElapsedTime(started) + PollInterval < options.Value.CallTimeout
            && await faults.IsOnAsync(KnownFaults.OrdersSagaPause, cancellationToken))
        {
            await Task.Delay(PollInterval, timeProvider, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fault orders-saga-pause: holding the saga of order {OrderId} after its captured payment")]
    private partial void LogHeld(Guid orderId);
}
