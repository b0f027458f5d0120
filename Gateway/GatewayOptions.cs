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

    /// <summary>
    /// How long a catalogue page is served from the Gateway's output cache before Inventory is asked again (0: never
    /// cached). Stock shown while browsing may be this old; an order's stock is checked in Inventory.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan CatalogueCacheDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The largest request body, in bytes: an order of <see cref="MaxItemsPerOrder"/> lines is a few KiB.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public long MaxRequestBodySize { get; set; } = 64 * 1024;

    /// <summary>
    /// How long the Gateway works on one request, from routing to the answer; above <see cref="OrdersDeadline"/>, so a
    /// slow Orders gets its own 504 first and this one catches what no deadline covers.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The slowest upload, in bytes a second, that Kestrel puts up with after the grace period.</summary>
    [Range(1, 1024 * 1024)]
    public double MinRequestBodyDataRate { get; set; } = 240;

    [Range(typeof(TimeSpan), "00:00:02", "00:10:00")]
    public TimeSpan MinRequestBodyDataRateGracePeriod { get; set; } = TimeSpan.FromSeconds(5);
}
