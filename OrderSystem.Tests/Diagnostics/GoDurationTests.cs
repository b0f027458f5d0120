using OrderSystem.Diagnostics.Query;

namespace OrderSystem.Tests.Diagnostics;

[Trait("Category", "Unit")]
public sealed class GoDurationTests
{
    [Theory]
    [InlineData("150ms", 150_000_000L)]
    [InlineData("1.5s", 1_500_000_000L)]
    [InlineData("2m30s", 150_000_000_000L)]
    [InlineData("100us", 100_000L)]
    [InlineData("1h", 3_600_000_000_000L)]
    [InlineData("7ns", 7L)]
    public void Parses_jaeger_durations(string text, long expected)
    {
        Assert.True(GoDuration.TryParseNanoseconds(text, out var nanoseconds));
        Assert.Equal(expected, nanoseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("fast")]
    [InlineData("10")]
    [InlineData("10 parsecs")]
    [InlineData("1s and more")]
    public void Rejects_what_is_not_a_duration(string text) => Assert.False(GoDuration.TryParseNanoseconds(text, out _));
}
