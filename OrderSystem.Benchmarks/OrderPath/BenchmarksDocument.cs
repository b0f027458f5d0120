namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>
/// Replaces the part of docs/benchmarks.md between <see cref="Begin"/> and <see cref="End"/> with a new text,
/// leaving the markers and everything around them as they are.
/// </summary>
public static class BenchmarksDocument
{
    public const string Begin = "<!-- order-path:begin -->";
    public const string End = "<!-- order-path:end -->";

    /// <exception cref="InvalidOperationException">The markers are missing, repeated or out of order.</exception>
    public static string ReplaceSection(string document, string section)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(section);
        var begin = document.IndexOf(Begin, StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin
            || document.IndexOf(Begin, begin + Begin.Length, StringComparison.Ordinal) >= 0
            || document.IndexOf(End, end + End.Length, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException($"the document needs one {Begin} line followed by one {End} line");
        }

        var contentStart = begin + Begin.Length;
        return document[..contentStart] + "\n" + section.TrimEnd('\n') + "\n" + document[end..];
    }
}
