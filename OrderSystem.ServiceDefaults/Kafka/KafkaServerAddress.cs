using System.Globalization;

namespace OrderSystem.ServiceDefaults.Kafka;

/// <summary>The first bootstrap server, for the <c>server.address</c> and <c>server.port</c> span attributes.</summary>
internal sealed record KafkaServerAddress(string Host, int? Port)
{
    public static KafkaServerAddress FromBootstrapServers(string bootstrapServers)
    {
        var first = bootstrapServers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        var separator = first.LastIndexOf(':');
        return separator > 0 && int.TryParse(first.AsSpan(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? new KafkaServerAddress(first[..separator], port)
            : new KafkaServerAddress(first, null);
    }
}
