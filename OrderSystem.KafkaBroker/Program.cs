using System.Runtime.InteropServices;
using OrderSystem.KafkaBroker;
using OrderSystem.ServiceDefaults.Configuration;
using OrderSystem.ServiceDefaults.Kafka;

// The AppHost's `messaging` resource: a one-broker librdkafka mock cluster. The AppHost reads the bootstrap address from
// the single line below, so nothing else goes to stdout.
KafkaMockCluster cluster;
try
{
    cluster = KafkaMockCluster.Start(brokerCount: 1);
}
catch (LibrdkafkaNotFoundException missing)
{
    Console.Error.WriteLine($"error: {missing.Message}");
    return StartupConfigurationGuard.ConfigurationErrorExitCode;
}

using var stop = new ManualResetEventSlim();
void RequestStop(PosixSignalContext context)
{
    // Cancel the default termination so Main returns and the process exits with 0.
    context.Cancel = true;
    stop.Set();
}

using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);

Console.Out.WriteLine($"Kafka broker listening on {cluster.BootstrapServers}");
Console.Out.Flush();
stop.Wait();

// The cluster is deliberately not disposed: it keeps nothing worth flushing, and destroying it waits out its I/O
// thread's one-second poll, half the time the AppHost allows for a stop. Exiting closes its sockets just the same.
return 0;
