using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OrderSystem.Tests.Infrastructure;
using OrderSystem.Diagnostics;
using OrderSystem.Diagnostics.Authentication;

namespace OrderSystem.Tests.Diagnostics;

/// <summary>
/// The dashboard running in-process on Kestrel, on a free loopback port, with a browser token and an OTLP key of its
/// own; stopped on dispose.
/// </summary>
internal sealed class DiagnosticsServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DiagnosticsServer(WebApplication app, Uri baseAddress, Uri otlpGrpcAddress, string token, string otlpApiKey)
    {
        _app = app;
        BaseAddress = baseAddress;
        OtlpGrpcAddress = otlpGrpcAddress;
        Token = token;
        OtlpApiKey = otlpApiKey;
        Client = CreateClient();
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        OtlpClient = CreateClient();
        OtlpClient.DefaultRequestHeaders.Add(OtlpApiKeyAuthenticationHandler.HeaderName, otlpApiKey);
    }

    public Uri BaseAddress { get; }

    /// <summary>The h2c endpoint of the OTLP/gRPC receiver.</summary>
    public Uri OtlpGrpcAddress { get; }

    /// <summary>The browser token (<c>Diagnostics:Frontend:BrowserToken</c>).</summary>
    public string Token { get; }

    /// <summary>The key the OTLP receiver requires (<c>Diagnostics:Otlp:PrimaryApiKey</c>).</summary>
    public string OtlpApiKey { get; }

    /// <summary>The UI's and the API's client: sends the token as a bearer.</summary>
    public HttpClient Client { get; }

    /// <summary>An exporter's client: sends the OTLP key.</summary>
    public HttpClient OtlpClient { get; }

    /// <summary>The login URL, as the AppHost shows it.</summary>
    public Uri LoginUrl => new(BaseAddress, $"login?t={Uri.EscapeDataString(Token)}");

    /// <summary>A client without credentials.</summary>
    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public T GetRequiredService<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <param name="settings">Configuration overrides such as ("Diagnostics:MaxSpans", "100").</param>
    public static async Task<DiagnosticsServer> StartAsync(params (string Key, string Value)[] settings)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var otlpApiKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
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
            $"--Diagnostics:Frontend:BrowserToken={token}",
            $"--Diagnostics:Otlp:PrimaryApiKey={otlpApiKey}",
            .. settings.Select(s => $"--{s.Key}={s.Value}"),
        ];
        var app = DiagnosticsApp.Create(args);
        try
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new DiagnosticsServer(app, baseAddress, otlpGrpcAddress, token, otlpApiKey);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        OtlpClient.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
