using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OrderSystem.Tests.Infrastructure;
using OrderSystem.Diagnostics;

namespace OrderSystem.Tests.Diagnostics;

/// <summary>The dashboard running in-process on Kestrel, on a free loopback port; stopped on dispose.</summary>
internal sealed class DiagnosticsServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DiagnosticsServer(WebApplication app, Uri baseAddress, Uri otlpGrpcAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        OtlpGrpcAddress = otlpGrpcAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    /// <summary>The h2c endpoint of the OTLP/gRPC receiver.</summary>
    public Uri OtlpGrpcAddress { get; }

    public HttpClient Client { get; }

    public T GetRequiredService<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <param name="settings">Configuration overrides such as ("Diagnostics:MaxSpans", "100").</param>
    public static async Task<DiagnosticsServer> StartAsync(params (string Key, string Value)[] settings)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{PortAllocator.AllocateFreePort()}/");
        var otlpGrpcAddress = new Uri($"http://127.0.0.1:{PortAllocator.AllocateFreePort()}/");
        string[] args =
        [
            $"--Kestrel:Endpoints:http:Url={baseAddress}",
            $"--Kestrel:Endpoints:otlp-grpc:Url={otlpGrpcAddress}",
            // Cleartext HTTP/2 (h2c) only: gRPC needs it and Kestrel serves HTTP/1.1 alone on a cleartext "Http1AndHttp2" endpoint.
            "--Kestrel:Endpoints:otlp-grpc:Protocols=Http2",
            "--Logging:LogLevel:Default=Warning",
            // As under the AppHost in development: tail sampling off unless a test switches it on.
            "--environment=Development",
            .. settings.Select(s => $"--{s.Key}={s.Value}"),
        ];
        var app = DiagnosticsApp.Create(args);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new DiagnosticsServer(app, baseAddress, otlpGrpcAddress);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
