using System.Diagnostics;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Payments;

/// <summary>Records every span of every source in this process as it ends (the service runs in process).</summary>
public sealed class ActivityRecorder : IDisposable
{
    private readonly StoppedActivities _stopped = new(_ => true);

    public IReadOnlyList<Activity> All => _stopped.All;

    public IReadOnlyList<Activity> ChildrenOf(Activity parent) =>
        _stopped.All.Where(activity => activity.ParentSpanId == parent.SpanId && activity.TraceId == parent.TraceId).ToList();

    /// <summary>The service's spans of <paramref name="name"/> (ProcessPayment, RefundPayment) for one order.</summary>
    public IReadOnlyList<Activity> ForOrder(string name, Guid orderId) =>
        _stopped.All.Where(activity => activity.Source.Name == "OrderSystem.Payments" && activity.DisplayName == name
            && activity.GetTagItem("order.id") as string == orderId.ToString()).ToList();

    /// <summary>The HTTP client spans (one per attempt, retries included) a span made to the provider path ending in <paramref name="pathSuffix"/>.</summary>
    public IReadOnlyList<Activity> ProviderCallsOf(Activity parent, string pathSuffix) =>
        ChildrenOf(parent)
            .Where(activity => activity.Kind == ActivityKind.Client && activity.Source.Name == "System.Net.Http"
                && new Uri((string)activity.GetTagItem("url.full")!).AbsolutePath.EndsWith(pathSuffix, StringComparison.Ordinal))
            .ToList();

    public void Dispose() => _stopped.Dispose();
}
