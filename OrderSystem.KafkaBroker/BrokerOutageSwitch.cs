using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderSystem.ServiceDefaults.Faults;

namespace OrderSystem.KafkaBroker;

/// <summary>
/// Acts on the <see cref="KnownFaults.KafkaOutage"/> fault: polls the fault switches every
/// <see cref="FaultSwitches.RefreshInterval"/> and takes every broker of the cluster down while it is on, up again when
/// it is off. The outage has to happen inside this process: the mock cluster keeps its messages and consumer offsets in
/// memory, so stopping the process would lose them. When the switches cannot be read the fault reads as off, so the
/// brokers never stay down for want of Redis.
/// </summary>
public sealed partial class BrokerOutageSwitch(
    KafkaMockCluster cluster,
    FaultSwitches faults,
    TimeProvider timeProvider,
    ILogger<BrokerOutageSwitch> logger) : BackgroundService
{
    private bool _down;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FaultSwitches.RefreshInterval, timeProvider);
        do
        {
            var outage = await faults.IsOnAsync(KnownFaults.KafkaOutage, stoppingToken);
            try
            {
                Apply(outage);
            }
            catch (InvalidOperationException exception)
            {
                // Logged and tried again at the next poll: the broker itself keeps serving whatever state it is in.
                LogApplyFailed(exception, KnownFaults.KafkaOutage);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Takes the brokers down or up when the fault changed since the last poll.</summary>
    private void Apply(bool outage)
    {
        if (outage == _down)
        {
            return;
        }

        for (var brokerId = 1; brokerId <= cluster.BrokerCount; brokerId++)
        {
            if (outage)
            {
                cluster.SetBrokerDown(brokerId);
            }
            else
            {
                cluster.SetBrokerUp(brokerId);
            }
        }

        _down = outage;
        if (outage)
        {
            LogBrokersDown(KnownFaults.KafkaOutage, cluster.BrokerCount);
        }
        else
        {
            LogBrokersUp(KnownFaults.KafkaOutage, cluster.BrokerCount);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not apply fault {Fault} to the mock cluster; trying again")]
    private partial void LogApplyFailed(Exception exception, string fault);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fault {Fault} on: {BrokerCount} broker(s) down, refusing connections")]
    private partial void LogBrokersDown(string fault, int brokerCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fault {Fault} off: {BrokerCount} broker(s) up again")]
    private partial void LogBrokersUp(string fault, int brokerCount);
}
