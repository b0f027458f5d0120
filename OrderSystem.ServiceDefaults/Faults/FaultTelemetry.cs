using System.Diagnostics;

namespace OrderSystem.ServiceDefaults.Faults;

/// <summary>Marks the current span where a fault acted, so the trace shows why it looks the way it does.</summary>
public static class FaultTelemetry
{
    public const string InjectedEventName = "fault.injected";
    public const string NameAttribute = "fault.name";
    public const string ActiveAttribute = "fault.active";

    /// <summary>Adds the event <c>fault.injected</c> (<c>fault.name</c>) and the attribute <c>fault.active</c> to <paramref name="activity"/>.</summary>
    public static void RecordInjected(Activity? activity, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (activity is null)
        {
            return;
        }

        activity.SetTag(ActiveAttribute, name);
        activity.AddEvent(new ActivityEvent(InjectedEventName, tags: new ActivityTagsCollection { [NameAttribute] = name }));
    }
}
