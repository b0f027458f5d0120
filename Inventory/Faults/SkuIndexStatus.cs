using System.Diagnostics;
using OrderSystem.ServiceDefaults.Faults;

namespace OrderSystem.Inventory.Faults;

/// <summary>
/// Whether this replica has seen <see cref="SkuIndexSchema.IndexName"/> dropped by
/// <see cref="KnownFaults.InventoryMissingIndex"/>. While it is, every statement that looks rows up by SKU scans the
/// table, and the span it runs under says so.
/// </summary>
public sealed class SkuIndexStatus
{
    private volatile bool _missing;

    public bool IsMissing
    {
        get => _missing;
        internal set => _missing = value;
    }

    /// <summary>Marks <paramref name="activity"/> with the fault when the index is missing: the statement about to run scans.</summary>
    public void RecordIfMissing(Activity? activity)
    {
        if (_missing)
        {
            FaultTelemetry.RecordInjected(activity, KnownFaults.InventoryMissingIndex);
        }
    }
}
