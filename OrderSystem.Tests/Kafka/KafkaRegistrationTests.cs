using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrderSystem.ServiceDefaults.Configuration;
using OrderSystem.ServiceDefaults.Kafka;

namespace OrderSystem.Tests.Kafka;

[Trait("Category", "Integration")]
public sealed class KafkaRegistrationTests
{
    [Fact]
    public void A_missing_connection_string_names_the_variable_to_set()
    {
        var builder = HostBuilder([]);

        var exception = Assert.Throws<MissingConfigurationException>(() => builder.AddKafkaProducer<string, byte[]>("messaging"));

        Assert.Contains("ConnectionStrings__messaging", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_consumer_without_a_group_is_rejected_at_registration()
    {
        var builder = HostBuilder(new() { ["ConnectionStrings:messaging"] = "127.0.0.1:9092" });

        var exception = Assert.Throws<InvalidOperationException>(() => builder.AddKafkaConsumer<string, byte[]>("messaging"));

        Assert.Contains("group.id", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_come_from_the_aspire_sections_by_librdkafka_name_and_the_connection_string_is_the_bootstrap_servers()
    {
        var builder = HostBuilder(new()
        {
            ["ConnectionStrings:messaging"] = "127.0.0.1:9092",
            ["Aspire:Confluent:Kafka:Producer:Config:message.timeout.ms"] = "5000",
            ["Aspire:Confluent:Kafka:Producer:DisableTracing"] = "true",
            ["Aspire:Confluent:Kafka:Consumer:Config:group.id"] = "notifications",
            ["Aspire:Confluent:Kafka:Consumer:Config:session.timeout.ms"] = "6000",
        });
        KafkaProducerSettings? producer = null;
        KafkaConsumerSettings? consumer = null;

        builder.AddKafkaProducer<string, byte[]>("messaging", settings => producer = settings);
        builder.AddKafkaConsumer<string, byte[]>("messaging", settings => consumer = settings);

        Assert.Equal("127.0.0.1:9092", producer!.ConnectionString);
        Assert.Equal("127.0.0.1:9092", producer.Config.BootstrapServers);
        Assert.Equal(5000, producer.Config.MessageTimeoutMs);
        Assert.True(producer.DisableTracing);
        Assert.True(producer.Config.EnableIdempotence);
        Assert.Equal(Acks.All, producer.Config.Acks);
        Assert.Equal("127.0.0.1:9092", consumer!.Config.BootstrapServers);
        Assert.Equal("notifications", consumer.Config.GroupId);
        Assert.Equal(6000, consumer.Config.SessionTimeoutMs);
    }

    [Fact]
    public void A_keyed_producer_reads_its_own_subsection_over_the_shared_one()
    {
        var builder = HostBuilder(new()
        {
            ["ConnectionStrings:audit"] = "127.0.0.1:9093",
            ["Aspire:Confluent:Kafka:Producer:Config:message.timeout.ms"] = "5000",
            ["Aspire:Confluent:Kafka:Producer:audit:Config:message.timeout.ms"] = "1000",
        });
        KafkaProducerSettings? keyed = null;

        builder.AddKeyedKafkaProducer<string, byte[]>("audit", settings => keyed = settings);
        using var host = builder.Build();

        Assert.Equal(1000, keyed!.Config.MessageTimeoutMs);
        Assert.NotNull(host.Services.GetRequiredKeyedService<IProducer<string, byte[]>>("audit"));
        Assert.Null(host.Services.GetService<IProducer<string, byte[]>>());
    }

    [Fact]
    public void A_producer_and_a_consumer_on_one_connection_share_one_health_check()
    {
        var builder = HostBuilder(new() { ["ConnectionStrings:messaging"] = "127.0.0.1:9092" });

        builder.AddKafkaMessageHandler<ScriptedHandler, string>(
            "messaging", options => options.Topics = ["order.events"], consumer => consumer.Config.GroupId = "notifications");
        using var host = builder.Build();

        var registrations = host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;
        var check = Assert.Single(registrations, registration => registration.Name.StartsWith("messaging", StringComparison.Ordinal));
        Assert.Equal("messaging_check", check.Name);
        Assert.Equal(["kafka", "ready"], check.Tags.Order());
        // The dead letters' producer.
        Assert.NotNull(host.Services.GetService<IProducer<string?, byte[]>>());
    }

    [Fact]
    public void Retry_settings_can_come_from_configuration()
    {
        var builder = HostBuilder(new()
        {
            ["ConnectionStrings:messaging"] = "127.0.0.1:9092",
            ["Aspire:Confluent:Kafka:Consumer:Config:group.id"] = "notifications",
            ["Aspire:Confluent:Kafka:Consumer:MaxRetryAttempts"] = "2",
            ["Aspire:Confluent:Kafka:Consumer:RetryBaseDelay"] = "00:00:00.050",
        });
        KafkaMessageHandlerOptions? bound = null;

        builder.AddKafkaMessageHandler<ScriptedHandler, string>("messaging", options =>
        {
            options.Topics = ["order.events"];
            bound = options;
        });

        Assert.Equal(2, bound!.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(50), bound.RetryBaseDelay);
    }

    private static HostApplicationBuilder HostBuilder(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }
}
