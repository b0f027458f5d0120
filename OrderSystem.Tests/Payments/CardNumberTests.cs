extern alias payments;

using payments::OrderSystem.Payments.Model;

namespace OrderSystem.Tests.Payments;

[Trait("Category", "Unit")]
public sealed class CardNumberTests
{
    [Theory]
    [InlineData("4242424242424242", "visa")]
    [InlineData("4242 4242 4242 4242", "visa")]
    [InlineData("4242-4242-4242-4242", "visa")]
    [InlineData("5555555555554444", "mastercard")]
    [InlineData("2223003122003222", "mastercard")]
    [InlineData("378282246310005", "amex")]
    [InlineData("6011111111111117", "discover")]
    [InlineData("3530111333300000", "unknown")]
    public void Valid_numbers_parse_with_brand_and_last_four(string input, string brand)
    {
        Assert.True(CardNumber.TryParse(input, out var card, out var error), error);
        Assert.Equal(brand, card.Brand);
        Assert.Equal(input[^4..], card.Last4);
        Assert.Equal(new string(input.Where(char.IsAsciiDigit).ToArray()), card.Reveal());
    }

    [Theory]
    [InlineData(null, "required")]
    [InlineData("   ", "required")]
    [InlineData("4242424242424241", "Luhn")]
    [InlineData("4242 4242 4242 424x", "only digits")]
    [InlineData("4242/4242/4242/4242", "only digits")]
    [InlineData("42424242424", "12 to 19 digits")]
    [InlineData("42424242424242424242", "12 to 19 digits")]
    public void Invalid_numbers_are_rejected_without_repeating_them(string? input, string expected)
    {
        Assert.False(CardNumber.TryParse(input, out var card, out var error));
        Assert.Null(card);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("4242", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_masks_the_number()
    {
        Assert.True(CardNumber.TryParse("4000 0000 0000 0002", out var card, out _));

        Assert.Equal("visa ****0002", card.ToString());
        Assert.Equal("visa ****0002", $"{card}");
    }

    [Theory]
    [InlineData("79927398713", true)]
    [InlineData("79927398710", false)]
    [InlineData("0", true)]
    [InlineData("18", true)]
    [InlineData("19", false)]
    public void Luhn_check_matches_the_reference_examples(string digits, bool valid) =>
        Assert.Equal(valid, CardNumber.PassesLuhnCheck(digits));
}
