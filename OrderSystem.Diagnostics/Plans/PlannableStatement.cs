using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace OrderSystem.Diagnostics.Plans;

/// <summary>
/// The statement a traced one is planned as: a SELECT that reads the same rows the same way, with its bind parameters
/// numbered from <c>$1</c> without gaps so that PREPARE can infer every one's type. EF Core's statements name their
/// parameters (<c>@p0</c>, <c>@__skus_0</c>), which Npgsql sends as <c>$1</c>...; the span carries the names.
/// </summary>
public sealed partial record PlannableStatement(string Sql, int ParameterCount)
{
    /// <summary>
    /// The statement to plan: of a batch (EF Core sends <c>SAVEPOINT</c>s and several commands as one), the first
    /// command that reads rows by a filter. Null when none does (INSERT ... VALUES) or none is one this rewrites.
    /// </summary>
    public static PlannableStatement? From(string statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return CommandSeparator().Split(statement).Select(command => FromCommand(command.Trim())).FirstOrDefault(plannable => plannable is not null);
    }

    private static PlannableStatement? FromCommand(string command)
    {
        var sql = NamedParameter().Replace(command.TrimEnd(';').Trim(), new NamedParameterNumbering().Replace);
        if (ReadingStatement().IsMatch(sql))
        {
            // A locking clause needs UPDATE privilege on the table even to be planned; the scan below it is the same.
            sql = LockingClause().Replace(sql, string.Empty);
        }
        else if (WriteWithWhere().Match(sql) is { Success: true } write)
        {
            // A role may plan an UPDATE or DELETE only with the privilege to run it. The rows it has to find, and so
            // the scan that finds them, are those of the equivalent SELECT of its WHERE clause, which a reader may plan.
            sql = $"SELECT 1 FROM {write.Groups["table"].Value} WHERE {write.Groups["where"].Value}";
        }
        else
        {
            return null;
        }

        return Renumber(sql);
    }

    /// <summary>The parameters left, numbered $1..$n in the order of their old numbers.</summary>
    private static PlannableStatement Renumber(string sql)
    {
        var numbers = Parameter().Matches(sql).Select(m => int.Parse(m.Groups["n"].ValueSpan, CultureInfo.InvariantCulture)).Distinct().Order().ToList();
        var renumbered = Parameter().Replace(sql, m => "$" + (numbers.IndexOf(int.Parse(m.Groups["n"].ValueSpan, CultureInfo.InvariantCulture)) + 1).ToString(CultureInfo.InvariantCulture));
        return new PlannableStatement(renumbered, numbers.Count);
    }

    /// <summary><c>EXECUTE name(NULL, ...)</c>: a generic plan does not depend on the values.</summary>
    public string ExecuteWithNulls(string preparedName)
    {
        var execute = new StringBuilder("EXECUTE ").Append(preparedName);
        if (ParameterCount > 0)
        {
            execute.Append('(').AppendJoin(", ", Enumerable.Repeat("NULL", ParameterCount)).Append(')');
        }

        return execute.ToString();
    }

    /// <summary>Gives each parameter name a number, in the order the names first appear.</summary>
    private sealed class NamedParameterNumbering
    {
        private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal);

        public string Replace(Match match)
        {
            var name = match.Groups["name"].Value;
            if (!_numbers.TryGetValue(name, out var number))
            {
                number = _numbers.Count + 1;
                _numbers.Add(name, number);
            }

            return "$" + number.ToString(CultureInfo.InvariantCulture);
        }
    }

    // A semicolon that ends a line ends a command of a batch; one inside a line is left alone.
    [GeneratedRegex(@";[ \t]*(?:\r?\n|$)", RegexOptions.CultureInvariant)]
    private static partial Regex CommandSeparator();

    // @name, but not the operators @>, <@ and @@.
    [GeneratedRegex(@"(?<![\w@<])@(?<name>[A-Za-z_]\w*)", RegexOptions.CultureInvariant)]
    private static partial Regex NamedParameter();

    [GeneratedRegex(@"^(?:SELECT|WITH)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReadingStatement();

    [GeneratedRegex(@"\s+FOR\s+(?:NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|SHARE)\b(?:\s+OF\s+[\w"".,\s]+?)?(?:\s+(?:NOWAIT|SKIP\s+LOCKED))?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LockingClause();

    [GeneratedRegex(@"^(?:UPDATE\s+(?:ONLY\s+)?(?<table>[\w"".]+(?:\s+(?:AS\s+)?(?!SET\b)\w+)?)\s+SET\s+.+?|DELETE\s+FROM\s+(?:ONLY\s+)?(?<table>[\w"".]+(?:\s+(?:AS\s+)?(?!WHERE\b)\w+)?))\s+WHERE\s+(?<where>.+?)(?:\s+RETURNING\s+.+)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex WriteWithWhere();

    [GeneratedRegex(@"\$(?<n>\d+)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Parameter();
}
