using OrderSystem.Diagnostics.Query;
using OrderSystem.Tests.Diagnostics;

namespace OrderSystem.Tests.Diagnosis;

[Trait("Category", "Unit")]
public sealed class TimeParameterTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly long NowNano = Now.ToUnixTimeMilliseconds() * 1_000_000;

    [Theory]
    [InlineData("1748779200", 0)]
    [InlineData("1748779200000", 0)]
    [InlineData("1748779200000000", 0)]
    [InlineData("1748779200000000000", 0)]
    [InlineData("2025-06-01T12:00:00Z", 0)]
    [InlineData("2025-06-01T14:00:00+02:00", 0)]
    [InlineData("2025-06-01T14:00:00 02:00", 0)]
    [InlineData("2025-06-01T12:00:00", 0)]
    [InlineData("now", 0)]
    [InlineData("now-15m", -15)]
    [InlineData("-1h", -60)]
    public void Times_are_read_liberally(string text, int minutesFromNow)
    {
        Assert.True(TimeParameter.TryParse(text, new ManualTimeProvider(Now), out var unixNano));
        Assert.Equal(NowNano + (minutesFromNow * 60_000_000_000L), unixNano);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("-5")]
    [InlineData("now-soon")]
    public void Other_text_is_no_time(string text) =>
        Assert.False(TimeParameter.TryParse(text, new ManualTimeProvider(Now), out _));
}
