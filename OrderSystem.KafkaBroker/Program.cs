using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OrderSystem.KafkaBroker;
using OrderSystem.ServiceDefaults.Configuration;
using OrderSystem.ServiceDefaults.Faults;

// The AppHost's local `messaging` resource: a one-broker librdkafka mock cluster. Its own address goes to stdout as a single
// line (for scripts and the tests that run it alone); every log line goes to stderr.
StartupConfigurationGuard.Install();
var cluster = KafkaMockCluster.Start(brokerCount: 1);

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.ClearProviders().AddSimpleConsole(console => console.SingleLine = true);
builder.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
// The fault switches (kafka-outage) live in the cache; without ConnectionStrings__cache the broker simply never goes down.
builder.AddFaultSwitches("cache");
// Registered as an instance, so the container never disposes it: destroying the cluster waits out its I/O thread's
// one-second poll, which only slows a stop, and exiting closes its sockets just the same.
builder.Services.AddSingleton(cluster);
builder.Services.AddHostedService<BrokerOutageSwitch>();
// Under the AppHost the broker is reached on the port DCP allocated for the resource (Broker__Port).
if (builder.Configuration.GetValue<int?>("Broker:Port") is { } port)
{
    builder.Services.AddHostedService(services => ActivatorUtilities.CreateInstance<BootstrapListener>(services, port));
}

using var host = builder.Build();
await host.StartAsync();
Console.Out.WriteLine($"Kafka broker listening on {cluster.BootstrapServers}");
Console.Out.Flush();
await host.WaitForShutdownAsync();
return 0;
