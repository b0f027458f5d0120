using System.Globalization;

namespace OrderSystem.Contracts;

/// <summary>
/// Money in the contracts is a decimal string in invariant culture ("12.50"); see the note in orders.proto.
/// </summary>
public static class DecimalString
{
    public static string Format(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses an amount such as "12.50" or "-3"; anything else is an ArgumentException naming the field (INVALID_ARGUMENT).</summary>
    public static decimal Parse(string? value, string fieldName)
    {
        if (decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            return amount;
        }

        throw new ArgumentException($"{fieldName} '{value}' is not a decimal amount such as 12.50.", fieldName);
    }
}
