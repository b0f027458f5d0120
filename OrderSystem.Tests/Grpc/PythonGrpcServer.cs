namespace OrderSystem.Tests.Grpc;

/// <summary>python_server.py (a grpcio InventoryService) running for the duration of a test class.</summary>
public sealed class PythonGrpcServer : IAsyncLifetime
{
    private readonly PythonPeers _peers = new();
    private PythonServerProcess? _server;

    public Uri Address => _server?.Address ?? throw new InvalidOperationException("the server has not started.");

    public async ValueTask InitializeAsync()
    {
        await _peers.InitializeAsync();
        _server = await _peers.StartServerAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        await _peers.DisposeAsync();
    }
}
