using System.ComponentModel.DataAnnotations;

namespace OrderSystem.Gateway;

/// <summary>The Gateway's own settings, bound from configuration section <c>Gateway</c>.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>The most lines one order may have; a larger order is rejected before Orders is called.</summary>
    [Range(1, 10_000)]
    public int MaxItemsPerOrder { get; set; } = 50;

    /// <summary>How long the Gateway waits for Orders (the whole saga: stock, payment, storage) on every call.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan OrdersDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the Gateway waits for Inventory when listing products.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan InventoryDeadline { get; set; } = TimeSpan.FromSeconds(5);
}
