using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Grpc.Core;

namespace OrderSystem.Tests.Gateway;

/// <summary>
/// The Gateway's three downstream services on free loopback ports, over the real transports: Orders and Inventory
/// (<see cref="ScriptedOrderService"/>, <see cref="ScriptedInventoryService"/>) on an h2c gRPC endpoint, and
/// Notifications' <c>GET /api/notifications</c> on an HTTP/1.1 one (an order of user "mute-*" gets a 503 there).
/// </summary>
public sealed class ScriptedDownstream : IAsyncDisposable
{
    public const string NotificationMessage = "Your order is confirmed.";

    private WebApplication? _app;

    public ScriptedDownstreamState State { get; } = new();

    public Uri GrpcAddress { get; private set; } = null!;

    public Uri HttpAddress { get; private set; } = null!;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        ListenOptions grpc = null!, http = null!;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => (grpc = listen).Protocols = HttpProtocols.Http2);
            kestrel.Listen(IPAddress.Loopback, 0, listen => (http = listen).Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddSingleton(State);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddGrpc();

        _app = builder.Build();
        _app.MapGrpcService<ScriptedOrderService>();
        _app.MapGrpcService<ScriptedInventoryService>();
        _app.MapGet("/api/notifications", GetNotifications);
        await _app.StartAsync(cancellationToken);

        // Kestrel writes the bound port back into the listen options.
        GrpcAddress = new Uri($"http://127.0.0.1:{grpc.IPEndPoint!.Port}");
        HttpAddress = new Uri($"http://127.0.0.1:{http.IPEndPoint!.Port}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
    }

    private IResult GetNotifications(string orderId)
    {
        if (State.Find(orderId) is not { } order)
        {
            return Results.Ok(Array.Empty<object>());
        }

        if (order.UserId.StartsWith("mute-", StringComparison.Ordinal))
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        var created = order.CreatedAt.ToDateTimeOffset();
        return Results.Ok(new[]
        {
            new { id = Guid.NewGuid(), eventId = Guid.NewGuid(), orderId, userId = order.UserId, channel = "email", recipient = "u***@customers.ordersystem.test", message = NotificationMessage, createdAt = created },
            new { id = Guid.NewGuid(), eventId = Guid.NewGuid(), orderId, userId = order.UserId, channel = "sms", recipient = "**********42", message = NotificationMessage, createdAt = created },
        });
    }
}
