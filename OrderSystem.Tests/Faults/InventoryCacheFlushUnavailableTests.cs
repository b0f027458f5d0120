using System.Net;
using System.Text.Json;
using OrderSystem.Tests.Infrastructure;
using OrderSystem.Tests.Diagnostics;

namespace OrderSystem.Tests.Faults;

/// <summary>The flush action of a dashboard (in-process) that has no Redis, or whose Redis does not answer.</summary>
[Trait("Category", "Integration")]
public sealed class InventoryCacheFlushUnavailableTests
{
    private const string FlushPath = "/api/faults/actions/flush-inventory-cache";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_a_cache_connection_string_the_flush_answers_503_naming_the_setting()
    {
        await using var dashboard = await DiagnosticsServer.StartAsync();

        var (status, problem) = await PostFlushAsync(dashboard);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("ConnectionStrings__cache", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_redis_does_not_answer_the_flush_answers_503()
    {
        // A port nobody listens on: the connection is refused at once.
        await using var dashboard = await DiagnosticsServer.StartAsync(("ConnectionStrings:cache", $"127.0.0.1:{PortAllocator.AllocateFreePort()},connectTimeout=1000"));

        var (status, problem) = await PostFlushAsync(dashboard);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Cache unavailable", problem.GetProperty("title").GetString());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Problem)> PostFlushAsync(DiagnosticsServer dashboard)
    {
        using var response = await dashboard.Client.PostAsync(FlushPath.TrimStart('/'), content: null, Token);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token)).RootElement.Clone());
    }
}
