using System.Collections;

namespace OrderSystem.ServiceDefaults.Grpc;

/// <summary>
/// gRPC metadata: the custom headers and trailers of a call. Keys are lower-case ASCII; keys ending in
/// <c>-bin</c> carry bytes (base64 on the wire), the others printable ASCII text.
/// </summary>
public sealed class Metadata : IEnumerable<Metadata.Entry>
{
    public const string BinaryHeaderSuffix = "-bin";

    // Transport headers the protocol owns: never exposed as metadata and never sent from it.
    private static readonly HashSet<string> ProtocolHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "content-type", "te", "host", "content-length", "connection", "transfer-encoding",
    };

    private readonly List<Entry> _entries = [];

    public int Count => _entries.Count;

    public void Add(string key, string value)
    {
        key = ValidateKey(key);
        ArgumentNullException.ThrowIfNull(value);
        if (IsBinaryKey(key))
        {
            throw new ArgumentException($"metadata key '{key}' ends in '-bin': add a byte[] value.", nameof(value));
        }

        foreach (var character in value)
        {
            if (character is < ' ' or > '~')
            {
                throw new ArgumentException($"metadata '{key}' must be printable ASCII; use a '-bin' key for other data.", nameof(value));
            }
        }

        _entries.Add(new Entry(key, value, null));
    }

    public void Add(string key, byte[] value)
    {
        key = ValidateKey(key);
        ArgumentNullException.ThrowIfNull(value);
        if (!IsBinaryKey(key))
        {
            throw new ArgumentException($"metadata key '{key}' carries bytes: it must end in '-bin'.", nameof(key));
        }

        _entries.Add(new Entry(key, null, value));
    }

    /// <summary>The first text value of <paramref name="key"/>, or null.</summary>
    public string? GetValue(string key) =>
        _entries.Find(entry => !entry.IsBinary && string.Equals(entry.Key, key, StringComparison.OrdinalIgnoreCase))?.Value;

    /// <summary>The first binary value of <paramref name="key"/>, or null.</summary>
    public byte[]? GetBinaryValue(string key) =>
        _entries.Find(entry => entry.IsBinary && string.Equals(entry.Key, key, StringComparison.OrdinalIgnoreCase))?.BinaryValue;

    public IEnumerator<Entry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Adds a received HTTP/2 header unless the protocol owns it; binary values are base64-decoded.</summary>
    internal void AddReceivedHeader(string name, string value)
    {
        if (IsProtocolHeader(name))
        {
            return;
        }

        var key = name.ToLowerInvariant();
        if (!IsBinaryKey(key))
        {
            _entries.Add(new Entry(key, value, null));
            return;
        }

        // Peers may send base64 with or without padding (PROTOCOL-HTTP2.md); both are accepted.
        var base64 = value.Trim();
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64.PadRight((base64.Length + 3) / 4 * 4, '='));
        }
        catch (FormatException exception)
        {
            throw new RpcException(StatusCode.Internal, $"metadata '{key}' is not valid base64.", exception);
        }

        _entries.Add(new Entry(key, null, bytes));
    }

    internal static bool IsProtocolHeader(string name) =>
        name.StartsWith(':') || name.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase) || ProtocolHeaders.Contains(name);

    private static bool IsBinaryKey(string key) => key.EndsWith(BinaryHeaderSuffix, StringComparison.Ordinal);

    private static string ValidateKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        key = key.ToLowerInvariant();
        foreach (var character in key)
        {
            if (character is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.'))
            {
                throw new ArgumentException($"metadata key '{key}' may only contain a-z, 0-9, '-', '_' and '.'.", nameof(key));
            }
        }

        if (IsProtocolHeader(key))
        {
            throw new ArgumentException($"metadata key '{key}' is reserved by the gRPC protocol.", nameof(key));
        }

        return key;
    }

    /// <summary>One metadata entry: a text <see cref="Value"/> or, for <c>-bin</c> keys, a <see cref="BinaryValue"/>.</summary>
    public sealed record Entry(string Key, string? Value, byte[]? BinaryValue)
    {
        public bool IsBinary => BinaryValue is not null;

        /// <summary>The value as sent on the wire: binary values as un-padded base64, as the specification recommends.</summary>
        internal string HeaderValue => BinaryValue is null ? Value! : Convert.ToBase64String(BinaryValue).TrimEnd('=');
    }
}
