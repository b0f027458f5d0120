using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace OrderSystem.LoadGenerator.CommandLine;

/// <summary>Parses an option's number in the invariant culture, with an error that reads as one plain line.</summary>
internal static class NumberArgument
{
    public static T? Parse<T>(ArgumentResult result)
        where T : struct, INumber<T>
    {
        var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        if (T.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        var option = (result.Parent as OptionResult)?.Option.Name ?? "a value";
        result.AddError($"{option}: '{token}' is not a {(typeof(T) == typeof(int) ? "whole number" : "number")}");
        return null;
    }
}
