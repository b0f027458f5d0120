using System.Net;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrderSystem.Tests.Grpc;

/// <summary>
/// A service host as the real ones are built (AddServiceDefaults, AddGrpcServices, Kestrel HTTP/2 only) on a free
/// loopback port, serving <see cref="TestInventoryService"/> and <see cref="ProbeGrpcService"/>.
/// </summary>
public sealed class GrpcTestServer : IAsyncLifetime
{
    public const int MaxReceiveMessageSize = 64 * 1024;

    private WebApplication? _app;

    public Uri Address { get; private set; } = null!;

    public ServerObservations Observations { get; } = new();

    public LogCollector Logs { get; } = new();

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.AddServiceDefaults();
        builder.Logging.ClearProviders().AddProvider(Logs);
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddSingleton(Observations);
        builder.AddGrpcServices(exception => exception is OutOfStockException
            ? new RpcException(new Status(StatusCode.FailedPrecondition, exception.Message))
            : null);
        builder.Services.Configure<GrpcServiceOptions>(options => options.MaxReceiveMessageSize = MaxReceiveMessageSize);

        _app = builder.Build();
        _app.MapDefaultEndpoints();
        _app.MapGrpcService<TestInventoryService>();
        _app.MapGrpcService<ProbeGrpcService>();
        _app.MapGrpcDefaultEndpoints();
        await _app.StartAsync(TestContext.Current.CancellationToken);

        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        Address = new Uri(address);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
    }
}
