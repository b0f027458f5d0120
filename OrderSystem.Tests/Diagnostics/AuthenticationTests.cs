using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OrderSystem.Diagnostics.Authentication;
using OrderSystem.Diagnostics.Otlp;

namespace OrderSystem.Tests.Diagnostics;

/// <summary>
/// The UI and the API need the browser token (the login URL's cookie, or a bearer), the OTLP receiver needs the
/// <c>x-otlp-api-key</c>, over HTTP and gRPC; refused telemetry is not stored. Probes stay anonymous.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AuthenticationTests : IAsyncLifetime
{
    private DiagnosticsServer _dashboard = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _dashboard = await DiagnosticsServer.StartAsync(("Diagnostics:Otlp:SecondaryApiKey", SecondaryApiKey));

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    private const string SecondaryApiKey = "the-rotated-in-key";

    [Theory]
    [InlineData("api/services")]
    [InlineData("api/traces?service=gateway")]
    [InlineData("api/trace-summaries")]
    [InlineData("api/diagnose?service=gateway")]
    [InlineData("api/faults")]
    [InlineData("api/stats")]
    [InlineData("api/ui-settings")]
    public async Task The_api_without_a_token_is_401_problem_json(string path)
    {
        using var response = await GetWithoutCredentialsAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("Authorization: Bearer", await response.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("index.html")]
    [InlineData("app.js")]
    public async Task The_ui_without_the_cookie_is_401_with_a_page_that_points_to_the_login_url(string path)
    {
        using var response = await GetWithoutCredentialsAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Open the login URL", await response.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_token_is_401_as_a_bearer_and_in_the_login_url()
    {
        using var wrongBearer = _dashboard.CreateClient();
        wrongBearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _dashboard.Token + "x");
        using var api = await wrongBearer.GetAsync("api/services", Cancellation);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", api.Headers.WwwAuthenticate.ToString());

        var cookies = new CookieContainer();
        using var browser = Browser(cookies);
        using var login = await browser.GetAsync($"login?t={_dashboard.Token}x", Cancellation);
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.Empty(cookies.GetCookies(_dashboard.BaseAddress));
        using var ui = await browser.GetAsync("", Cancellation);
        Assert.Equal(HttpStatusCode.Unauthorized, ui.StatusCode);
    }

    [Fact]
    public async Task The_login_url_sets_a_cookie_that_opens_the_ui_and_the_api()
    {
        var cookies = new CookieContainer();
        using var browser = Browser(cookies);

        using var login = await browser.GetAsync(_dashboard.LoginUrl, Cancellation);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/", login.Headers.Location?.OriginalString);
        var cookie = Assert.Single(cookies.GetCookies(_dashboard.BaseAddress));
        Assert.True(cookie.HttpOnly, "the auth cookie is out of scripts' reach");

        using var ui = await browser.GetAsync("", Cancellation);
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.Contains("<script", await ui.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
        using var api = await browser.GetAsync("api/services", Cancellation);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Fact]
    public async Task The_bearer_token_opens_the_api()
    {
        using var response = await _dashboard.Client.GetAsync("api/services", Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("health")]
    [InlineData("alive")]
    public async Task Probes_are_anonymous(string path)
    {
        using var response = await GetWithoutCredentialsAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-the-key")]
    public async Task Otlp_http_without_the_key_is_401_and_nothing_is_stored(string? key)
    {
        var request = OtlpRequests.OneSpan("unauthenticated-http");
        using var exporter = _dashboard.CreateClient();
        if (key is not null)
        {
            exporter.DefaultRequestHeaders.Add(OtlpApiKeyAuthenticationHandler.HeaderName, key);
        }

        using var refused = await PostTracesAsync(exporter, request);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, await TraceStatusAsync(request));

        // The same request with the key is stored: the 404 above was the refusal, not the query.
        using var accepted = await PostTracesAsync(_dashboard.OtlpClient, request);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await TraceStatusAsync(request));
    }

    [Fact]
    public async Task Otlp_http_takes_the_secondary_key_too()
    {
        var request = OtlpRequests.OneSpan("secondary-key");
        using var exporter = _dashboard.CreateClient();
        exporter.DefaultRequestHeaders.Add(OtlpApiKeyAuthenticationHandler.HeaderName, SecondaryApiKey);

        using var response = await PostTracesAsync(exporter, request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await TraceStatusAsync(request));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-the-key")]
    public async Task Otlp_grpc_without_the_key_is_unauthenticated_and_nothing_is_stored(string? key)
    {
        var request = OtlpRequests.OneSpan("unauthenticated-grpc");
        using var channel = GrpcChannel.ForAddress(_dashboard.OtlpGrpcAddress);

        var refused = await Assert.ThrowsAsync<RpcException>(() => ExportOverGrpcAsync(channel, request, key));
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, await TraceStatusAsync(request));

        await ExportOverGrpcAsync(channel, request, _dashboard.OtlpApiKey);
        Assert.Equal(HttpStatusCode.OK, await TraceStatusAsync(request));
    }

    [Theory]
    [InlineData("Diagnostics:Frontend:BrowserToken")]
    [InlineData("Diagnostics:Otlp:PrimaryApiKey")]
    public async Task A_missing_token_or_key_stops_the_service_at_start_naming_the_setting(string setting)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => DiagnosticsServer.StartAsync((setting, "")));

        Assert.StartsWith($"{setting} is missing", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsecured_modes_need_neither_token_nor_key()
    {
        await using var open = await DiagnosticsServer.StartAsync(
            ("Diagnostics:Frontend:AuthMode", "Unsecured"), ("Diagnostics:Frontend:BrowserToken", ""),
            ("Diagnostics:Otlp:AuthMode", "Unsecured"), ("Diagnostics:Otlp:PrimaryApiKey", ""));
        using var anonymous = open.CreateClient();
        var request = OtlpRequests.OneSpan("unsecured");

        using var export = await PostTracesAsync(anonymous, request);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        using var trace = await anonymous.GetAsync($"api/traces/{OtlpRequests.TraceIdOf(request)}", Cancellation);
        Assert.Equal(HttpStatusCode.OK, trace.StatusCode);
        using var ui = await anonymous.GetAsync("", Cancellation);
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
    }

    private async Task<HttpResponseMessage> GetWithoutCredentialsAsync(string path)
    {
        using var anonymous = _dashboard.CreateClient();
        return await anonymous.GetAsync(path, Cancellation);
    }

    /// <summary>A browser's view of the server: cookies kept, redirects shown rather than followed.</summary>
    private HttpClient Browser(CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = _dashboard.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    private static async Task<HttpResponseMessage> PostTracesAsync(HttpClient client, ExportTraceServiceRequest request)
    {
        using var content = new ByteArrayContent(request.ToByteArray());
        content.Headers.ContentType = new MediaTypeHeaderValue(OtlpContentTypes.Protobuf);
        return await client.PostAsync("v1/traces", content, Cancellation);
    }

    private async Task<HttpStatusCode> TraceStatusAsync(ExportTraceServiceRequest request)
    {
        using var response = await _dashboard.Client.GetAsync($"api/traces/{OtlpRequests.TraceIdOf(request)}", Cancellation);
        return response.StatusCode;
    }

    /// <summary>The collector's TraceService/Export, called as an exporter does, with the key in the metadata when given.</summary>
    private static async Task ExportOverGrpcAsync(GrpcChannel channel, ExportTraceServiceRequest request, string? key)
    {
        var export = new Method<ExportTraceServiceRequest, ExportTraceServiceResponse>(
            MethodType.Unary,
            TraceService.Descriptor.FullName,
            "Export",
            Marshallers.Create(message => message.ToByteArray(), ExportTraceServiceRequest.Parser.ParseFrom),
            Marshallers.Create(message => message.ToByteArray(), ExportTraceServiceResponse.Parser.ParseFrom));
        var headers = new Metadata();
        if (key is not null)
        {
            headers.Add(OtlpApiKeyAuthenticationHandler.HeaderName, key);
        }

        await channel.CreateCallInvoker().AsyncUnaryCall(export, host: null, new CallOptions(headers, cancellationToken: Cancellation), request);
    }
}
