using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using OrderSystem.KafkaBroker;

namespace OrderSystem.Tests.Kafka;

/// <summary>One in-process librdkafka mock cluster per test class; tests isolate themselves with their own topics.</summary>
public sealed class KafkaClusterFixture : IDisposable
{
    public KafkaClusterFixture()
    {
        // What ConfigureOpenTelemetry sets in every service: W3C trace context plus baggage.
        Sdk.SetDefaultTextMapPropagator(new CompositeTextMapPropagator([new TraceContextPropagator(), new BaggagePropagator()]));
        Cluster = KafkaMockCluster.Start();
    }

    public KafkaMockCluster Cluster { get; }

    public string BootstrapServers => Cluster.BootstrapServers;

    public static string NewTopic(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public void Dispose() => Cluster.Dispose();
}
