namespace OrderSystem.LoadGenerator.Gateway;

/// <summary>
/// The W3C Trace Context Level 2 <c>traceresponse</c> header, <c>00-{32 hex trace id}-{16 hex span id}-{2 hex flags}</c>,
/// which the Gateway puts on every response.
/// </summary>
public static class TraceResponseHeader
{
    public const string Name = "traceresponse";

    /// <summary>The trace id, or null when the header is malformed or names the invalid all-zero trace.</summary>
    public static string? ParseTraceId(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var parts = value.Trim().Split('-');
        if (parts.Length != 4 || parts[0].Length != 2 || parts[1].Length != 32 || parts[2].Length != 16 || parts[3].Length != 2)
        {
            return null;
        }

        if (!parts.All(IsLowerHex) || parts[0] == "ff" || parts[1].All(c => c == '0'))
        {
            return null;
        }

        return parts[1];
    }

    private static bool IsLowerHex(string part) => part.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
