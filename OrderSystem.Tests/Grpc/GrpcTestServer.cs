using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderSystem.ServiceDefaults.Grpc;

namespace OrderSystem.Tests.Grpc;

/// <summary>
/// A service host as the real ones are built (AddServiceDefaults, Kestrel HTTP/2 only) on a free loopback port,
/// serving <see cref="TestInventoryService"/> and the <see cref="ProbeMethods"/>.
/// </summary>
public sealed class GrpcTestServer : IAsyncLifetime
{
    public const int MaxReceiveMessageSize = 64 * 1024;
    public const string NonAsciiDetail = "stock for café: 100% gone ☕";

    private readonly ConcurrentDictionary<string, int> _flakyCalls = new();
    private WebApplication? _app;

    public Uri Address { get; private set; } = null!;

    public ServerObservations Observations { get; } = new();

    public LogCollector Logs { get; } = new();

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.AddServiceDefaults();
        builder.Logging.ClearProviders().AddProvider(Logs);
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddSingleton(Observations);
        builder.Services.AddGrpcServer(options =>
        {
            options.MaxReceiveMessageSize = MaxReceiveMessageSize;
            options.ExceptionMapper = exception => exception is OutOfStockException
                ? new RpcException(StatusCode.FailedPrecondition, exception.Message)
                : null;
        });

        _app = builder.Build();
        OrderSystem.ServiceDefaults.Grpc.GrpcEndpointRouteBuilderExtensions.MapGrpcService<TestInventoryService>(_app);
        MapProbeMethods(_app);
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

    private void MapProbeMethods(WebApplication app)
    {
        app.MapGrpcUnary(ProbeMethods.Echo, (request, context) =>
        {
            Observations.Record(request.Value, context);
            foreach (var entry in context.RequestHeaders.Where(entry => entry.Key.StartsWith("x-", StringComparison.Ordinal) && !entry.IsBinary))
            {
                context.ResponseTrailers.Add(entry.Key, entry.Value!);
            }

            return Task.FromResult(request);
        });

        app.MapGrpcUnary(ProbeMethods.Fail, (request, context) =>
        {
            Observations.Record(request.Value, context);
            Exception exception = request.Value.Split(':')[0] switch
            {
                "argument" => new ArgumentException("quantity must be positive"),
                "not-found" => new KeyNotFoundException("order 42 does not exist"),
                "precondition" => new RpcException(StatusCode.FailedPrecondition, "insufficient stock"),
                "unicode" => new RpcException(StatusCode.FailedPrecondition, NonAsciiDetail),
                "mapped" => new OutOfStockException("SKU-1 is out of stock"),
                "unavailable" => new HttpRequestException("Connection refused (db:5432)"),
                _ => new InvalidOperationException("Password=hunter2 rejected by the database"),
            };
            return Task.FromException<Empty>(exception);
        });

        app.MapGrpcUnary(ProbeMethods.Flaky, (request, context) =>
        {
            Observations.Record(request.Value, context);
            var failures = int.Parse(request.Value.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
            var attempt = _flakyCalls.AddOrUpdate(request.Value, 1, (_, count) => count + 1);
            return attempt <= failures
                ? throw new RpcException(StatusCode.Unavailable, "warming up")
                : Task.FromResult(new StringValue { Value = attempt.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        });

        app.MapPost(ProbeMethods.NoStatusTrailer.Path, async context =>
        {
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(new byte[] { 0, 0, 0, 0, 0 }, context.RequestAborted);
        });
        app.MapPost(ProbeMethods.Http503.Path, context =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        });
        app.MapPost(ProbeMethods.PlainText.Path, context =>
        {
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync("hello", context.RequestAborted);
        });

        app.MapGrpcUnary(ProbeMethods.WaitForCancellation, async (request, context) =>
        {
            await Observations.WaitForCancellationAsync(request.Value, context);
            return new Empty();
        });
    }
}

/// <summary>A domain exception the server's ExceptionMapper turns into FAILED_PRECONDITION.</summary>
public sealed class OutOfStockException(string message) : Exception(message);
