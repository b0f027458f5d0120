using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrderSystem.ServiceDefaults.Kafka;

namespace OrderSystem.Tests.Kafka;

/// <summary>The producer a service gets from <c>AddKafkaProducer</c> (traced, trace context in the headers), for tests to publish with.</summary>
internal sealed class KafkaTestProducer : IDisposable
{
    private readonly IHost _host;

    private KafkaTestProducer(IHost host)
    {
        _host = host;
        Producer = host.Services.GetRequiredService<IProducer<string?, byte[]>>();
    }

    public IProducer<string?, byte[]> Producer { get; }

    /// <param name="config">librdkafka settings, as a service would set them under <c>Aspire:Confluent:Kafka:Producer:Config</c>.</param>
    public static KafkaTestProducer Create(string bootstrapServers, IReadOnlyDictionary<string, string>? config = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:messaging"] = bootstrapServers });
        builder.Configuration.AddInMemoryCollection((config ?? new Dictionary<string, string>())
            .Select(setting => KeyValuePair.Create($"{KafkaProducerExtensions.DefaultConfigSectionName}:Config:{setting.Key}", (string?)setting.Value)));
        builder.AddKafkaProducer<string?, byte[]>("messaging");
        return new KafkaTestProducer(builder.Build());
    }

    public Task<DeliveryResult<string?, byte[]>> ProduceAsync(string topic, string? key, byte[] value, Headers? headers = null, CancellationToken cancellationToken = default) =>
        Producer.ProduceAsync(topic, new Message<string?, byte[]> { Key = key, Value = value, Headers = headers }, cancellationToken);

    public void Dispose() => _host.Dispose();
}
