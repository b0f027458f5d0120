using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace OrderSystem.Diagnostics.Diagnosis;

/// <summary>
/// Reduces a query to its shape so that executions of "the same statement" group together: string and number
/// literals and bind parameters (<c>$1</c>, <c>@id</c>, <c>:id</c>, <c>?</c>) become <c>?</c>, lists of them
/// (<c>IN (1, 2, 3)</c>, <c>VALUES (..), (..)</c>, <c>ARRAY[..]</c>) one <c>?</c>, and runs of whitespace one space.
/// Statements repeat, so results are cached (bounded; starting over when full only costs recomputation).
/// </summary>
public sealed partial class StatementNormalizer
{
    private const int MaxCachedStatements = 20_000;
    private const int MaxLength = 4_096;

    private readonly ConcurrentDictionary<string, string> _cache = new(StringComparer.Ordinal);

    public string Normalize(string statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        if (_cache.TryGetValue(statement, out var normalized))
        {
            return normalized;
        }

        normalized = Shape(statement);
        if (_cache.Count >= MaxCachedStatements)
        {
            _cache.Clear();
        }

        _cache.TryAdd(statement, normalized);
        return normalized;
    }

    private static string Shape(string statement)
    {
        var text = ReplaceLiterals(statement.AsSpan(0, Math.Min(statement.Length, MaxLength)));
        if (!text.Contains("?,", StringComparison.Ordinal) && !text.Contains("? ,", StringComparison.Ordinal))
        {
            return text;
        }

        text = ParenthesisedList().Replace(text, "(?)");
        text = BracketedList().Replace(text, "[?]");
        return RepeatedTuples().Replace(text, "$1");
    }

    private static string ReplaceLiterals(ReadOnlySpan<char> sql)
    {
        var output = new StringBuilder(sql.Length);
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '\'')
            {
                i = SkipQuoted(sql, i, '\'');
                output.Append('?');
            }
            else if (c == '"')
            {
                var end = SkipQuoted(sql, i, '"');
                output.Append(sql[i..end]);
                i = end;
            }
            else if (char.IsWhiteSpace(c))
            {
                while (i < sql.Length && char.IsWhiteSpace(sql[i]))
                {
                    i++;
                }

                if (output.Length > 0 && i < sql.Length)
                {
                    output.Append(' ');
                }
            }
            else if (c == '$' && i + 1 < sql.Length && char.IsAsciiDigit(sql[i + 1]))
            {
                i = SkipWhile(sql, i + 1, char.IsAsciiDigit);
                output.Append('?');
            }
            else if (IsNamedParameter(sql, i, output))
            {
                i = SkipWhile(sql, i + 1, IsIdentifierPart);
                output.Append('?');
            }
            else if (char.IsAsciiDigit(c) && (i == 0 || !IsIdentifierPart(sql[i - 1])))
            {
                i = SkipNumber(sql, i);
                output.Append('?');
            }
            else
            {
                output.Append(c);
                i++;
            }
        }

        return output.ToString().TrimEnd(';', ' ');
    }

    /// <summary><c>@name</c> anywhere, <c>:name</c> only after an operator or space (not a cast <c>::int</c>, not a Redis key <c>stock:sku</c>).</summary>
    private static bool IsNamedParameter(ReadOnlySpan<char> sql, int i, StringBuilder output)
    {
        if (i + 1 >= sql.Length || !(char.IsAsciiLetter(sql[i + 1]) || sql[i + 1] == '_'))
        {
            return false;
        }

        if (sql[i] == '@')
        {
            return true;
        }

        if (sql[i] != ':' || output.Length == 0)
        {
            return false;
        }

        var previous = output[^1];
        return previous is ' ' or '(' or ',' or '=' or '<' or '>';
    }

    private static int SkipQuoted(ReadOnlySpan<char> sql, int start, char quote)
    {
        var i = start + 1;
        while (i < sql.Length)
        {
            if (sql[i] == quote)
            {
                // A doubled quote is an escaped quote inside the literal.
                if (i + 1 < sql.Length && sql[i + 1] == quote)
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            i++;
        }

        return i;
    }

    private static int SkipNumber(ReadOnlySpan<char> sql, int start)
    {
        var i = start;
        if (i + 1 < sql.Length && sql[i] == '0' && sql[i + 1] is 'x' or 'X')
        {
            return SkipWhile(sql, i + 2, char.IsAsciiHexDigit);
        }

        i = SkipWhile(sql, i, char.IsAsciiDigit);
        if (i + 1 < sql.Length && sql[i] == '.' && char.IsAsciiDigit(sql[i + 1]))
        {
            i = SkipWhile(sql, i + 1, char.IsAsciiDigit);
        }

        if (i + 1 < sql.Length && sql[i] is 'e' or 'E' && (char.IsAsciiDigit(sql[i + 1]) || sql[i + 1] is '+' or '-'))
        {
            i = SkipWhile(sql, i + 2, char.IsAsciiDigit);
        }

        return i;
    }

    private static int SkipWhile(ReadOnlySpan<char> sql, int start, Func<char, bool> predicate)
    {
        var i = start;
        while (i < sql.Length && predicate(sql[i]))
        {
            i++;
        }

        return i;
    }

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.';

    [GeneratedRegex(@"\(\s*\?(?:\s*,\s*\?)+\s*\)", RegexOptions.CultureInvariant)]
    private static partial Regex ParenthesisedList();

    [GeneratedRegex(@"\[\s*\?(?:\s*,\s*\?)+\s*\]", RegexOptions.CultureInvariant)]
    private static partial Regex BracketedList();

    [GeneratedRegex(@"(\(\?\))(?:\s*,\s*\(\?\))+", RegexOptions.CultureInvariant)]
    private static partial Regex RepeatedTuples();
}
