using System.Diagnostics;

namespace OrderSystem.Tests.Gateway;

/// <summary>
/// A caller's W3C trace context, sent as <c>traceparent</c>. The in-process test client injects none, so tests
/// that look at spans send their own and find them by its trace id.
/// </summary>
public sealed record TestTraceContext(ActivityTraceId TraceId, ActivitySpanId ParentSpanId)
{
    public string TraceParent => $"00-{TraceId.ToHexString()}-{ParentSpanId.ToHexString()}-01";

    public static TestTraceContext Create() => new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom());

    public void ApplyTo(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.DefaultRequestHeaders.Remove("traceparent");
        client.DefaultRequestHeaders.Add("traceparent", TraceParent);
    }
}
