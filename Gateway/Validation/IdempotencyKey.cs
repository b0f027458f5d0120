using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Primitives;

namespace OrderSystem.Gateway.Validation;

/// <summary>
/// The optional <c>Idempotency-Key</c> request header: a retry of <c>POST /api/orders</c> with the same key returns
/// the order the first attempt created. At most <see cref="MaxLength"/> printable ASCII characters.
/// </summary>
public static class IdempotencyKey
{
    public const string HeaderName = "Idempotency-Key";
    public const int MaxLength = 128;

    /// <summary>False with an <paramref name="error"/> for a malformed header; true with a null key when it is absent.</summary>
    public static bool TryRead(StringValues header, out string? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        error = null;
        switch (header.Count)
        {
            case 0:
                return true;
            case > 1:
                error = $"send one {HeaderName} header, not {header.Count}.";
                return false;
        }

        var value = header[0]!.Trim();
        if (value.Length is 0 or > MaxLength)
        {
            error = $"{HeaderName} must be 1 to {MaxLength} characters.";
            return false;
        }

        if (value.Any(character => character is < ' ' or > '~'))
        {
            error = $"{HeaderName} may contain only printable ASCII characters.";
            return false;
        }

        key = value;
        return true;
    }
}
