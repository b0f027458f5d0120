using System.Diagnostics.CodeAnalysis;

namespace OrderSystem.Payments.Model;

/// <summary>
/// A card's primary account number, checked with the Luhn algorithm. <see cref="ToString"/> masks it, so an
/// accidental log message or span attribute never carries the number; only <see cref="Reveal"/> gives it out.
/// </summary>
public sealed class CardNumber
{
    public const int MinimumLength = 12;
    public const int MaximumLength = 19;

    private static readonly string LengthError = $"The card number must have {MinimumLength} to {MaximumLength} digits.";

    private readonly string _digits;

    private CardNumber(string digits)
    {
        _digits = digits;
        Brand = BrandOf(digits);
        Last4 = digits[^4..];
    }

    /// <summary>The card network in lower case, as payment providers name it: visa, mastercard, amex, discover or unknown.</summary>
    public string Brand { get; }

    public string Last4 { get; }

    /// <summary>
    /// Parses a number typed with optional spaces or dashes. On failure <paramref name="error"/> says what is wrong
    /// without repeating the input.
    /// </summary>
    public static bool TryParse(string? input, [NotNullWhen(true)] out CardNumber? cardNumber, [NotNullWhen(false)] out string? error)
    {
        cardNumber = null;
        if (string.IsNullOrWhiteSpace(input))
        {
            error = "The card number is required.";
            return false;
        }

        Span<char> digits = stackalloc char[MaximumLength];
        var length = 0;
        foreach (var character in input)
        {
            if (character is ' ' or '-')
            {
                continue;
            }

            if (!char.IsAsciiDigit(character))
            {
                error = "The card number may contain only digits, spaces and dashes.";
                return false;
            }

            if (length == MaximumLength)
            {
                error = LengthError;
                return false;
            }

            digits[length++] = character;
        }

        if (length < MinimumLength)
        {
            error = LengthError;
            return false;
        }

        if (!PassesLuhnCheck(digits[..length]))
        {
            error = "The card number is not valid (Luhn check failed).";
            return false;
        }

        cardNumber = new CardNumber(new string(digits[..length]));
        error = null;
        return true;
    }

    /// <summary>The full number, for the one place that needs it: the charge request to the payment provider.</summary>
    public string Reveal() => _digits;

    public override string ToString() => $"{Brand} ****{Last4}";

    /// <summary>ISO/IEC 7812 check digit: doubling every second digit from the right, the sum is a multiple of 10.</summary>
    public static bool PassesLuhnCheck(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        var doubled = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var digit = digits[i] - '0';
            if (doubled)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
            doubled = !doubled;
        }

        return sum % 10 == 0;
    }

    private static string BrandOf(string digits)
    {
        var prefix2 = int.Parse(digits.AsSpan(0, 2), provider: System.Globalization.CultureInfo.InvariantCulture);
        var prefix4 = int.Parse(digits.AsSpan(0, 4), provider: System.Globalization.CultureInfo.InvariantCulture);
        return digits[0] switch
        {
            '4' => "visa",
            _ when prefix2 is >= 51 and <= 55 || prefix4 is >= 2221 and <= 2720 => "mastercard",
            _ when prefix2 is 34 or 37 => "amex",
            _ when prefix4 == 6011 || prefix2 == 65 || prefix4 / 10 is >= 644 and <= 649 => "discover",
            _ => "unknown",
        };
    }
}
