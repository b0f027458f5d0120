using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OrderSystem.ServiceDefaults.Configuration;
using OrderSystem.ServiceDefaults.Kafka;

namespace OrderSystem.Tests.Kafka;

public sealed class KafkaRegistrationTests
{
    [Fact]
    public void A_missing_connection_string_names_the_variable_to_set()
    {
        var builder = HostBuilder([]);

        var exception = Assert.Throws<MissingConfigurationException>(() => builder.AddKafkaProducer("messaging"));

        Assert.Contains("ConnectionStrings__messaging", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_consumer_without_a_group_is_rejected_at_registration()
    {
        var builder = HostBuilder(new() { ["ConnectionStrings:messaging"] = "127.0.0.1:9092" });

        var exception = Assert.Throws<ArgumentException>(() =>
            builder.AddKafkaConsumer<ScriptedHandler, string>("messaging", options => options.Topics = ["order.events"]));

        Assert.Contains("GroupId", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Group_and_topics_can_come_from_configuration()
    {
        var builder = HostBuilder(new()
        {
            ["ConnectionStrings:messaging"] = "127.0.0.1:9092",
            ["Aspire:Confluent:Kafka:Consumer:GroupId"] = "notifications",
            ["Aspire:Confluent:Kafka:Consumer:Topics:0"] = "order.events",
        });
        KafkaConsumerOptions? bound = null;

        builder.AddKafkaConsumer<ScriptedHandler, string>("messaging", options => bound = options);

        Assert.Equal("notifications", bound!.GroupId);
        Assert.Equal(["order.events"], bound.Topics);
    }

    private static HostApplicationBuilder HostBuilder(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }
}
