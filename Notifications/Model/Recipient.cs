namespace OrderSystem.Notifications.Model;

/// <summary>
/// Where a notification goes. Only the sender reads <see cref="Address"/>; everything else (rows, spans, logs) uses
/// <see cref="Masked"/>, and <see cref="ToString"/> returns it so an accidental interpolation leaks nothing.
/// </summary>
internal sealed class Recipient
{
    private Recipient(string address, string masked)
    {
        Address = address;
        Masked = masked;
    }

    public string Address { get; }

    public string Masked { get; }

    /// <summary>Keeps the first character of the local part and the domain: <c>j***@example.com</c>.</summary>
    public static Recipient Email(string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        var at = address.LastIndexOf('@');
        var masked = at > 0 ? $"{address[0]}***{address[at..]}" : "***";
        return new Recipient(address, masked);
    }

    /// <summary>Keeps the last two digits: <c>*******42</c>.</summary>
    public static Recipient Phone(string number)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(number);
        const int Visible = 2;
        var masked = number.Length > Visible ? new string('*', number.Length - Visible) + number[^Visible..] : "***";
        return new Recipient(number, masked);
    }

    public override string ToString() => Masked;
}
