using OrderSystem.Benchmarks.OrderPath;

namespace OrderSystem.Tests.Benchmarks;

[Trait("Category", "Unit")]
public sealed class OrderPathOptionsTests
{
    [Fact]
    public void By_default_it_starts_two_systems_tracing_on_then_off_and_runs_four_levels()
    {
        var settings = Bind();

        Assert.Equal([1, 4, 16, 64], settings.Users);
        Assert.Equal([TracingMode.On, TracingMode.Off], settings.Tracing);
        Assert.False(settings.UseRunningSystem);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Duration);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Warmup);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.Idle);
        Assert.Equal("browse=50,order=30,read=20", settings.Mix);
        Assert.True(settings.Build);
        Assert.False(settings.WriteDocs);
    }

    [Fact]
    public void Options_set_the_levels_durations_and_the_systems()
    {
        var settings = Bind("--users", "1,4", "--duration", "10s", "--warmup", "0", "--idle", "0", "--tracing", "off", "--no-build", "--write-docs");

        Assert.Equal([1, 4], settings.Users);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.Duration);
        Assert.Equal(TimeSpan.Zero, settings.Warmup);
        Assert.Equal(TimeSpan.Zero, settings.Idle);
        Assert.Equal([TracingMode.Off], settings.Tracing);
        Assert.False(settings.Build);
        Assert.True(settings.WriteDocs);
    }

    [Fact]
    public void Endpoints_measure_the_running_system_as_it_runs()
    {
        var settings = Bind("--endpoints", "/tmp/endpoints.json");

        Assert.True(settings.UseRunningSystem);
        Assert.Equal("/tmp/endpoints.json", settings.EndpointsPath);
        Assert.Equal([TracingMode.AsRunning], settings.Tracing);
    }

    [Theory]
    [InlineData("--users", "0", "--users")]
    [InlineData("--users", "4,x", "--users")]
    [InlineData("--users", ",", "--users")]
    [InlineData("--duration", "0", "--duration")]
    [InlineData("--warmup", "soon", "--warmup")]
    [InlineData("--tracing", "sometimes", "--tracing")]
    [InlineData("--mix", "browse=0", "--mix")]
    public void A_bad_value_is_refused_naming_its_option(string option, string value, string named)
    {
        var error = Assert.Throws<FormatException>(() => Bind(option, value));

        Assert.StartsWith(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tracing_cannot_be_chosen_for_a_running_system()
    {
        var error = Assert.Throws<FormatException>(() => Bind("--running", "--tracing", "off"));

        Assert.Contains("--tracing", error.Message, StringComparison.Ordinal);
    }

    private static OrderPathSettings Bind(params string[] args)
    {
        var options = new OrderPathOptions();
        var parseResult = options.CreateCommand().Parse(args);
        Assert.Empty(parseResult.Errors);
        return options.Bind(parseResult);
    }
}
