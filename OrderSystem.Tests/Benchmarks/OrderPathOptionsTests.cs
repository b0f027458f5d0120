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
        Assert.Equal(TimeSpan.FromMinutes(3), settings.SystemWarmup);
        Assert.Null(settings.Before);
        Assert.Equal(1, settings.Rounds);
        Assert.Equal("browse=50,order=30,read=20", settings.Mix);
        Assert.Equal(0, settings.DeclinedRate);
        Assert.True(settings.Build);
        Assert.False(settings.WriteDocs);
    }

    [Fact]
    public void Options_set_the_levels_durations_and_the_systems()
    {
        var settings = Bind("--users", "1,4", "--duration", "10s", "--warmup", "0", "--idle", "0", "--system-warmup", "1m", "--tracing", "off", "--rounds", "3", "--declined-rate", "0.05", "--no-build", "--write-docs");

        Assert.Equal([1, 4], settings.Users);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.Duration);
        Assert.Equal(TimeSpan.Zero, settings.Warmup);
        Assert.Equal(TimeSpan.Zero, settings.Idle);
        Assert.Equal(TimeSpan.FromMinutes(1), settings.SystemWarmup);
        Assert.Equal([TracingMode.Off], settings.Tracing);
        Assert.Equal(3, settings.Rounds);
        Assert.Equal(0.05, settings.DeclinedRate);
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

    [Fact]
    public void Before_names_the_ref_to_measure_first_beside_this_tree_s_systems()
    {
        var settings = Bind("--before", "HEAD~3", "--system-warmup", "0");

        Assert.Equal("HEAD~3", settings.Before);
        Assert.Equal([TracingMode.On, TracingMode.Off], settings.Tracing);
        Assert.False(settings.UseRunningSystem);
        Assert.Equal(TimeSpan.Zero, settings.SystemWarmup);
    }

    [Theory]
    [InlineData("--users", "0", "--users")]
    [InlineData("--users", "4,x", "--users")]
    [InlineData("--users", ",", "--users")]
    [InlineData("--duration", "0", "--duration")]
    [InlineData("--warmup", "soon", "--warmup")]
    [InlineData("--tracing", "sometimes", "--tracing")]
    [InlineData("--mix", "browse=0", "--mix")]
    [InlineData("--system-warmup", "later", "--system-warmup")]
    [InlineData("--before", " ", "--before")]
    [InlineData("--rounds", "0", "--rounds")]
    [InlineData("--rounds", "21", "--rounds")]
    [InlineData("--declined-rate", "1.5", "--declined-rate")]
    [InlineData("--declined-rate", "-0.1", "--declined-rate")]
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

    [Theory]
    [InlineData("--running")]
    [InlineData("--endpoints /tmp/endpoints.json")]
    public void Before_cannot_be_combined_with_a_running_system(string running)
    {
        var error = Assert.Throws<FormatException>(() => Bind(["--before", "main", .. running.Split(' ')]));

        Assert.StartsWith("--before", error.Message, StringComparison.Ordinal);
        Assert.Contains("--running/--endpoints", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_running_system_is_measured_in_one_round()
    {
        var error = Assert.Throws<FormatException>(() => Bind("--running", "--rounds", "2"));

        Assert.StartsWith("--rounds", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, Bind("--running", "--rounds", "1").Rounds);
    }

    [Fact]
    public void Before_needs_this_tree_measured_with_tracing_on()
    {
        var error = Assert.Throws<FormatException>(() => Bind("--before", "main", "--tracing", "off"));

        Assert.StartsWith("--before", error.Message, StringComparison.Ordinal);
        Assert.Equal([TracingMode.On], Bind("--before", "main", "--tracing", "on").Tracing);
    }

    private static OrderPathSettings Bind(params string[] args)
    {
        var options = new OrderPathOptions();
        var parseResult = options.CreateCommand().Parse(args);
        Assert.Empty(parseResult.Errors);
        return options.Bind(parseResult);
    }
}
