using System.Net;
using System.Text.Json;
using OrderSystem.Diagnostics.Otlp;
using OrderSystem.Tests.Diagnostics;

namespace OrderSystem.Tests.Diagnosis;

/// <summary>An in-process dashboard for diagnosis tests: traces go in through its OTLP receiver, answers come from its HTTP API.</summary>
internal sealed class DiagnosisServer : IAsyncDisposable
{
    private DiagnosisServer(DiagnosticsServer server) => Server = server;

    public DiagnosticsServer Server { get; }

    /// <summary>Baselines are recomputed whenever the store changed, so each test sees what it stored.</summary>
    public static async Task<DiagnosisServer> StartAsync(params (string Key, string Value)[] settings) =>
        new(await DiagnosticsServer.StartAsync([("Diagnostics:Diagnosis:BaselineRefreshInterval", "00:00:00"), .. settings]));

    public void Receive(SyntheticTrace trace) => Server.GetRequiredService<OtlpReceiver>().Export(trace.ToRequest());

    public async Task<JsonElement> GetDataAsync(string path)
    {
        using var response = await Server.Client.GetAsync(path, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("data").Clone();
    }

    /// <summary>The status and the first error message of a request expected to fail.</summary>
    public async Task<(HttpStatusCode Status, string Message)> GetErrorAsync(string path)
    {
        using var response = await Server.Client.GetAsync(path, TestContext.Current.CancellationToken);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var error = document.RootElement.GetProperty("errors")[0];
        Assert.Equal((int)response.StatusCode, error.GetProperty("code").GetInt32());
        return (response.StatusCode, error.GetProperty("msg").GetString()!);
    }

    public Task<JsonElement> DiagnoseAsync(SyntheticTrace trace) => GetDataAsync($"api/diagnose/traces/{trace.TraceId}");

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    public static JsonElement[] Findings(JsonElement diagnosis, string kind) =>
        [.. diagnosis.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("kind").GetString() == kind)];

    public static string[] SpanIds(JsonElement finding) =>
        [.. finding.GetProperty("evidence").GetProperty("spanIds").EnumerateArray().Select(s => s.GetString()!)];
}
