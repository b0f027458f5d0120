using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderSystem.ServiceDefaults.Kafka;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Kafka;

/// <summary>Takes its cluster's only broker down and up again, so it has a cluster of its own.</summary>
[Trait("Category", "Integration")]
public sealed class KafkaOutageTests(KafkaClusterFixture kafka) : IClassFixture<KafkaClusterFixture>
{
    private const int BrokerId = 1;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Messaging_check_follows_the_broker_down_and_up_again()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:messaging"] = kafka.BootstrapServers,
            // Passed through to librdkafka, so the producer reconnects quickly once the broker is back.
            ["Aspire:Confluent:Kafka:Producer:Config:reconnect.backoff.max.ms"] = "200",
        });
        builder.AddKafkaProducer<string?, byte[]>("messaging");
        using var host = builder.Build();
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var up = await CheckAsync(health);
        Assert.Equal(HealthStatus.Healthy, up.Status);
        Assert.Contains("ready", up.Tags);

        await WithBrokerDownAsync(async () =>
        {
            var down = await CheckAsync(health);
            Assert.Equal(HealthStatus.Unhealthy, down.Status);
            Assert.StartsWith("Kafka is unreachable", down.Description, StringComparison.Ordinal);
        });

        await Eventually.WaitUntilAsync(async () => (await CheckAsync(health)).Status == HealthStatus.Healthy, Deadline, "the check to recover");
    }

    [Fact]
    public async Task Consumer_keeps_polling_through_an_outage_and_handles_what_comes_after()
    {
        var topic = KafkaClusterFixture.NewTopic("outage");
        kafka.Cluster.CreateTopic(topic, partitions: 1);
        using var producer = KafkaTestProducer.Create(kafka.BootstrapServers, new Dictionary<string, string> { ["reconnect.backoff.max.ms"] = "200" });
        await producer.ProduceAsync(topic, "order-1", "before"u8.ToArray(), cancellationToken: TestContext.Current.CancellationToken);
        var script = new HandlerScript();
        await using var consumer = await ConsumerHarness.StartAsync(kafka.BootstrapServers, topic, $"group-{Guid.NewGuid():N}", script);
        await Eventually.WaitUntilAsync(() => script.HandledValues.Count == 1, Deadline, "the first message to be handled");

        await WithBrokerDownAsync(() => Eventually.WaitUntilAsync(
            () => consumer.Logs.Entries.Any(entry => entry.Level == LogLevel.Warning && entry.Message.StartsWith("Kafka client error", StringComparison.Ordinal)), Deadline,
            "the consumer to report the lost broker"));

        await producer.ProduceAsync(topic, "order-1", "after"u8.ToArray(), cancellationToken: TestContext.Current.CancellationToken);
        await Eventually.WaitUntilAsync(() => script.HandledValues.Count == 2, Deadline, "the message sent after the outage to be handled");
        Assert.Equal(["before", "after"], script.HandledValues);
    }

    private async Task WithBrokerDownAsync(Func<Task> whileDown)
    {
        kafka.Cluster.SetBrokerDown(BrokerId);
        try
        {
            await whileDown();
        }
        finally
        {
            kafka.Cluster.SetBrokerUp(BrokerId);
        }
    }

    private static async Task<HealthReportEntry> CheckAsync(HealthCheckService health)
    {
        var report = await health.CheckHealthAsync(registration => registration.Tags.Contains("ready"), TestContext.Current.CancellationToken);
        return report.Entries["messaging_check"];
    }
}
