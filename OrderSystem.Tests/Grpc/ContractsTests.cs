using OrderSystem.Contracts;

namespace OrderSystem.Tests.Grpc;

[Trait("Category", "Unit")]
public sealed class ContractsTests
{
    [Theory]
    [InlineData("12.50", 12.50)]
    [InlineData("0", 0)]
    [InlineData("-3.1", -3.1)]
    public void Decimal_strings_round_trip_in_invariant_culture(string text, decimal value)
    {
        Assert.Equal(value, DecimalString.Parse(text, "amount"));
        Assert.Equal(text, DecimalString.Format(DecimalString.Parse(text, "amount")));
    }

    [Theory]
    [InlineData("12,50")]
    [InlineData("1.2E3")]
    [InlineData("")]
    [InlineData(null)]
    public void Malformed_decimal_strings_name_the_field(string? text)
    {
        var error = Assert.Throws<ArgumentException>(() => DecimalString.Parse(text, "payment.amount"));

        Assert.Equal("payment.amount", error.ParamName);
    }
}
