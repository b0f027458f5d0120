using System.Collections.Immutable;
using OrderSystem.ServiceDefaults.Faults;

namespace OrderSystem.AppHost.Faults;

/// <summary>
/// Shows each fault's switch as a property of the resource it acts on (<c>fault.inventory-missing-index</c> =
/// <c>on</c>, <c>off</c>, or <c>unknown</c> while the diagnostics service cannot say), which the fault commands'
/// states follow. The commands publish the switch they set; <see cref="FaultStateWatcher"/> publishes what the API
/// reads, so a fault switched by a script shows too.
/// </summary>
public sealed class FaultStates(DistributedApplicationModel model, ResourceNotificationService notifications) : IDisposable
{
    public const string On = "on";
    public const string Off = "off";
    public const string Unknown = "unknown";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _version;

    public static string PropertyName(string fault) => $"fault.{fault}";

    /// <summary>The switch as a resource snapshot shows it; null before anyone could tell.</summary>
    public static string? Read(CustomResourceSnapshot snapshot, string fault)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var name = PropertyName(fault);
        return snapshot.Properties.FirstOrDefault(property => property.Name == name)?.Value as string;
    }

    /// <summary>
    /// Taken before reading the API and given back to <see cref="PublishReadAsync"/>, it tells whether a command has
    /// switched a fault since: then what was read may be older than what the command published.
    /// </summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Publishes a switch that a command has just set.</summary>
    public async Task PublishSetAsync(FaultSwitch fault, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fault);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            Interlocked.Increment(ref _version);
            await PublishAsync([(fault.Name, fault.Enabled ? On : Off)]);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Publishes every fault's switch as read from the API, or <see cref="Unknown"/> when it could not be read
    /// (<paramref name="switches"/> null); skipped when a command switched one after <paramref name="readVersion"/>.
    /// </summary>
    public async Task PublishReadAsync(IReadOnlyList<FaultSwitch>? switches, long readVersion, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (readVersion != Version)
            {
                return;
            }

            var enabled = switches?.ToDictionary(fault => fault.Name, fault => fault.Enabled, StringComparer.Ordinal);
            await PublishAsync(KnownFaults.All.Select(fault =>
                (fault.Name, enabled is null ? Unknown : enabled.GetValueOrDefault(fault.Name) ? On : Off)));
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task PublishAsync(IEnumerable<(string Fault, string Value)> states)
    {
        foreach (var group in states.GroupBy(state => KnownFaults.Find(state.Fault)?.Service))
        {
            if (model.Resources.FirstOrDefault(resource => resource.Name == group.Key) is not { } resource)
            {
                continue;
            }

            await notifications.PublishUpdateAsync(resource, snapshot => snapshot with
            {
                Properties = group.Aggregate(snapshot.Properties, (properties, state) => Set(properties, state.Fault, state.Value)),
            });
        }
    }

    /// <summary>Replaces the fault's property where it is, so that the dashboard keeps the properties' order.</summary>
    private static ImmutableArray<ResourcePropertySnapshot> Set(ImmutableArray<ResourcePropertySnapshot> properties, string fault, string value)
    {
        var property = new ResourcePropertySnapshot(PropertyName(fault), value) { DisplayName = $"Fault {fault}", IsHighlighted = true };
        for (var index = 0; index < properties.Length; index++)
        {
            if (properties[index].Name == property.Name)
            {
                return properties.SetItem(index, property);
            }
        }

        return properties.Add(property);
    }
}
