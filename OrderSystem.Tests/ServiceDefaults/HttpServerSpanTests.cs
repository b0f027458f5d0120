using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.ServiceDefaults;

/// <summary>ASP.NET Core's server span, named and tagged by the OpenTelemetry instrumentation as ServiceDefaults sets it up.</summary>
[Trait("Category", "Unit")]
public sealed class HttpServerSpanTests : IAsyncLifetime
{
    private readonly StoppedActivities _spans = new(source => source.Name == "Microsoft.AspNetCore");
    private WebApplication? _app;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.AddServiceDefaults();
        builder.Services.AddProblemDetails();
        var app = builder.Build();
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api/handled"), handled => handled.UseExceptionHandler());
        app.MapDefaultEndpoints();
        app.MapGet("/api/items/{id}", (string id) => Results.Ok(id));
        app.MapGet("/api/fail", () => Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/api/missing", () => Results.NotFound());
        app.MapGet("/api/throw", IResult () => throw new InvalidOperationException("boom"));
        app.MapGet("/api/handled/throw", IResult () => throw new InvalidOperationException("boom"));
        await app.StartAsync(TestContext.Current.CancellationToken);
        _app = app;
    }

    [Fact]
    public async Task Names_the_span_by_route_template_with_http_attributes()
    {
        var span = await RequestAsync("/api/items/42?verbose=true");

        Assert.Equal("GET /api/items/{id}", span.DisplayName);
        Assert.Equal(ActivityKind.Server, span.Kind);
        Assert.Equal("GET", span.GetTagItem("http.request.method"));
        Assert.Equal("/api/items/{id}", span.GetTagItem("http.route"));
        Assert.Equal("/api/items/42", span.GetTagItem("url.path"));
        // The instrumentation redacts query values: they may carry secrets.
        Assert.Equal("?verbose=Redacted", span.GetTagItem("url.query"));
        Assert.Equal("http", span.GetTagItem("url.scheme"));
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task A_5xx_marks_the_span_as_an_error_and_a_4xx_does_not()
    {
        var failed = await RequestAsync("/api/fail");
        var missing = await RequestAsync("/api/missing");

        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal("503", failed.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Unset, missing.Status);
        Assert.Equal(404, missing.GetTagItem("http.response.status_code"));
    }

    [Fact]
    public async Task An_unhandled_exception_is_recorded_with_its_type()
    {
        var span = await RequestAsync("/api/throw");

        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, span.GetTagItem("error.type"));
        Assert.Contains(span.Events, e => e.Name == "exception");
    }

    [Fact]
    public async Task An_exception_answered_by_the_exception_handler_keeps_the_route_in_the_span_name()
    {
        var span = await RequestAsync("/api/handled/throw");

        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(500, span.GetTagItem("http.response.status_code"));
        Assert.Equal(("GET /api/handled/throw", "/api/handled/throw"), (span.DisplayName, span.GetTagItem("http.route")));
    }

    [Fact]
    public async Task Health_probes_are_not_recorded()
    {
        foreach (var path in new[] { "/health", "/alive" })
        {
            var span = await RequestAsync(path);

            Assert.False(span.Recorded, $"{path} should not be exported");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _spans.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task<Activity> RequestAsync(string pathAndQuery)
    {
        var path = pathAndQuery.Split('?')[0];
        var before = _spans.All.Count;

        using var client = _app!.GetTestClient();
        try
        {
            using var response = await client.GetAsync(pathAndQuery, TestContext.Current.CancellationToken);
        }
        catch (Exception exception) when (path is "/api/throw" && exception is InvalidOperationException)
        {
            // TestServer hands the application's unhandled exception to the client instead of a 500.
        }

        // The span stops as the response completes, which the client may see first.
        return await Eventually.WaitForAsync(
            () => Task.FromResult(_spans.All.Skip(before).SingleOrDefault()),
            TimeSpan.FromSeconds(10),
            $"the server span of {path}");
    }
}
