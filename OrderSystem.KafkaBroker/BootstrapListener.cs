using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrderSystem.KafkaBroker;

/// <summary>
/// Accepts clients on the port the AppHost gives the <c>messaging</c> resource (<c>Broker:Port</c>) and relays each
/// connection to the mock cluster, which can only listen on a port of its own choosing. A client bootstraps here; the
/// metadata it then receives names the broker's own address, which it connects to directly.
/// </summary>
public sealed partial class BootstrapListener(KafkaMockCluster cluster, int port, ILogger<BootstrapListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var broker = ParseFirstBroker(cluster.BootstrapServers);
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        LogListening(port, cluster.BootstrapServers);
        while (!stoppingToken.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stoppingToken);
            _ = RelayAsync(client, broker, stoppingToken);
        }
    }

    private async Task RelayAsync(TcpClient client, DnsEndPoint broker, CancellationToken stoppingToken)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(broker.Host, broker.Port, stoppingToken);
                using var relay = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var clientStream = client.GetStream();
                var brokerStream = upstream.GetStream();
                // Either side closing ends the relay, as a direct connection would end.
                await Task.WhenAny(clientStream.CopyToAsync(brokerStream, relay.Token), brokerStream.CopyToAsync(clientStream, relay.Token));
                await relay.CancelAsync();
            }
            catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException)
            {
                // A broker that is down (kafka-outage) refuses the connection: the client sees it closed and retries.
                LogRelayEnded(exception.Message);
            }
        }
    }

    private static DnsEndPoint ParseFirstBroker(string bootstrapServers)
    {
        var first = bootstrapServers.Split(',')[0];
        var separator = first.LastIndexOf(':');
        return new DnsEndPoint(first[..separator], int.Parse(first[(separator + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bootstrap listener on 127.0.0.1:{Port}, relaying to the mock broker at {BootstrapServers}")]
    private partial void LogListening(int port, string bootstrapServers);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Relayed connection ended: {Reason}")]
    private partial void LogRelayEnded(string reason);
}
