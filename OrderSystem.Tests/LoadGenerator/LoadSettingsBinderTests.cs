using OrderSystem.LoadGenerator;
using OrderSystem.LoadGenerator.CommandLine;
using OrderSystem.LoadGenerator.Scenarios;

namespace OrderSystem.Tests.LoadGenerator;

[Trait("Category", "Integration")]
public sealed class LoadSettingsBinderTests : IDisposable
{
    private readonly TempTree _tree = new();
    private readonly string _endpoints;
    private readonly string _workingDirectory;

    public LoadSettingsBinderTests()
    {
        _endpoints = _tree.WriteEndpoints("repo", TempTree.EndpointsJson());
        _workingDirectory = _tree.Directory("repo/OrderSystem.LoadGenerator");
    }

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void Needs_no_arguments_against_a_local_topology()
    {
        var settings = Bind();

        Assert.Equal(LoadModelKind.Open, settings.Model);
        Assert.Equal(LoadGeneratorOptions.DefaultRate, settings.Rate);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Duration);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Warmup);
        Assert.Equal("browse=50,order=30,read=20", settings.Mix.ToString());
        Assert.Equal(100, settings.Users);
        Assert.Equal(0.05, settings.DeclinedRate);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.RequestTimeout);
        Assert.Equal(256, settings.MaxInFlight);
        Assert.Equal(new Uri("http://127.0.0.1:5000"), settings.Target.Gateway);
        Assert.Equal("file-key", settings.Target.ApiKey);
        Assert.Equal(new Uri("http://127.0.0.1:18888"), settings.Target.Dashboard);
        Assert.Equal(_endpoints, settings.Target.EndpointsFile);
        Assert.Equal(Path.Combine(Path.GetDirectoryName(_endpoints)!, "loadgen", "result-20250102-030405.json"), settings.OutputPath);
        Assert.DoesNotContain("file-key", settings.Target.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_every_option()
    {
        var output = Path.Combine(_tree.Root, "out.json");
        var settings = Bind(
            "--concurrency", "8", "--duration", "2m", "--warmup", "0", "--mix", "order=3,read=1", "--users", "7",
            "--declined-rate", "0.25", "--seed", "99", "--request-timeout", "1500ms", "--max-in-flight", "12", "--output", output);

        Assert.Equal(LoadModelKind.Closed, settings.Model);
        Assert.Equal(8, settings.Concurrency);
        Assert.Equal(TimeSpan.FromMinutes(2), settings.Duration);
        Assert.Equal(TimeSpan.Zero, settings.Warmup);
        Assert.Equal(0, settings.Mix.WeightOf(ScenarioKind.Browse));
        Assert.Equal(3, settings.Mix.WeightOf(ScenarioKind.Order));
        Assert.Equal(7, settings.Users);
        Assert.Equal(0.25, settings.DeclinedRate);
        Assert.Equal(99, settings.Seed);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), settings.RequestTimeout);
        Assert.Equal(12, settings.MaxInFlight);
        Assert.Equal(output, settings.OutputPath);
    }

    [Fact]
    public void Resolves_a_relative_output_against_the_working_directory()
    {
        Assert.Equal(Path.Combine(_workingDirectory, "run.json"), Bind("--output", "run.json").OutputPath);
    }

    [Theory]
    [InlineData("--rate", "0", "--rate must be above 0")]
    [InlineData("--rate", "-5", "--rate must be above 0")]
    [InlineData("--rate", "1e9", "--rate must be above 0 and at most 100000")]
    [InlineData("--concurrency", "0", "--concurrency must be from 1")]
    [InlineData("--duration", "0s", "--duration must be above 0")]
    [InlineData("--duration", "30x", "--duration: '30x' is not a duration")]
    [InlineData("--duration", "2d", "--duration: '2d' is not a duration")]
    [InlineData("--warmup", "-1s", "--warmup: '-1s' is not a duration")]
    [InlineData("--users", "0", "--users must be from 1")]
    [InlineData("--declined-rate", "1.5", "--declined-rate must be from 0 to 1")]
    [InlineData("--mix", "browse=x", "--mix: the weight of browse must be a whole number")]
    [InlineData("--mix", "browse=1,browse=2", "--mix: browse is named twice")]
    [InlineData("--mix", "checkout=1", "--mix: 'checkout=1' is not scenario=weight")]
    [InlineData("--mix", "browse=0,order=0", "--mix: at least one scenario")]
    [InlineData("--request-timeout", "0", "--request-timeout must be above 0")]
    [InlineData("--max-in-flight", "0", "--max-in-flight must be from 1")]
    [InlineData("--output", "/no/such/folder/result.json", "--output: the directory /no/such/folder does not exist")]
    public void Rejects_a_bad_value_with_one_line_naming_the_option(string option, string value, string expected)
    {
        var exception = Assert.Throws<InvalidOptionsException>(() => Bind(option, value));

        Assert.StartsWith(expected, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', exception.Message);
    }

    [Fact]
    public void Rejects_both_load_models_at_once()
    {
        var exception = Assert.Throws<InvalidOptionsException>(() => Bind("--rate", "10", "--concurrency", "4"));
        Assert.Contains("--rate", exception.Message, StringComparison.Ordinal);
        Assert.Contains("--concurrency", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://gateway.example")]
    [InlineData("file:///etc/passwd")]
    [InlineData("gateway:8080")]
    [InlineData("/api")]
    [InlineData("http://user:secret@gateway.example")]
    [InlineData("http://gateway.example/?next=http://elsewhere")]
    public void Refuses_a_gateway_that_is_not_a_plain_http_base_url(string gateway)
    {
        var exception = Assert.Throws<InvalidOptionsException>(() => Bind("--gateway", gateway, "--api-key", "k"));
        Assert.StartsWith("--gateway must be", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Takes_a_gateway_and_key_from_options_without_an_endpoints_file()
    {
        using var elsewhere = new TempTree();

        var settings = BindIn(elsewhere.Root, "--gateway", "https://gateway.example:8443/base", "--api-key", "option-key");

        Assert.Equal(new Uri("https://gateway.example:8443/base"), settings.Target.Gateway);
        Assert.Equal("option-key", settings.Target.ApiKey);
        Assert.Null(settings.Target.Dashboard);
        Assert.Null(settings.OutputPath);
    }

    [Fact]
    public void Never_sends_the_endpoints_file_key_to_another_gateway()
    {
        var exception = Assert.Throws<InvalidOptionsException>(() => Bind("--gateway", "http://other.example"));
        Assert.StartsWith("--gateway needs --api-key", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_gateway_together_with_an_endpoints_file()
    {
        var exception = Assert.Throws<InvalidOptionsException>(() => Bind("--gateway", "http://other.example", "--api-key", "k", "--endpoints", _endpoints));
        Assert.StartsWith("--gateway and --endpoints exclude each other", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overrides_the_key_of_the_endpoints_file()
    {
        var settings = Bind("--api-key", "override");

        Assert.Equal("override", settings.Target.ApiKey);
        Assert.Equal(new Uri("http://127.0.0.1:5000"), settings.Target.Gateway);
    }

    [Fact]
    public void Explains_how_to_start_when_no_endpoints_file_is_found()
    {
        using var elsewhere = new TempTree();

        var exception = Assert.Throws<InvalidOptionsException>(() => BindIn(elsewhere.Root));

        Assert.Equal(
            $"no .ordersystem/endpoints.json in {elsewhere.Root} or above; start the system (./run.sh), or pass --endpoints, or --gateway and --api-key",
            exception.Message);
    }

    [Fact]
    public void Reads_the_endpoints_file_given_and_reports_what_it_lacks()
    {
        var given = Path.Combine(_tree.Root, "other.json");
        File.WriteAllText(given, """{ "gateway": "http://127.0.0.1:6000", "apiKey": "given-key" }""");
        Assert.Equal(new Uri("http://127.0.0.1:6000"), Bind("--endpoints", given).Target.Gateway);

        File.WriteAllText(given, """{ "gateway": null, "apiKey": "given-key" }""");
        Assert.Equal($"{given} names no gateway; is the system up (./run.sh)?", Assert.Throws<InvalidOptionsException>(() => Bind("--endpoints", given)).Message);

        File.WriteAllText(given, """{ "gateway": "http://127.0.0.1:6000" }""");
        Assert.Equal($"{given} has no apiKey; pass --api-key", Assert.Throws<InvalidOptionsException>(() => Bind("--endpoints", given)).Message);

        var missing = Path.Combine(_tree.Root, "missing.json");
        Assert.Equal($"--endpoints: {missing} does not exist", Assert.Throws<InvalidOptionsException>(() => Bind("--endpoints", missing)).Message);
    }

    [Theory]
    [InlineData(new[] { "--rate", "abc" }, "loadgen: --rate: 'abc' is not a number (see --help)")]
    [InlineData(new[] { "--concurrency", "2.5" }, "loadgen: --concurrency: '2.5' is not a whole number (see --help)")]
    [InlineData(new[] { "--turbo" }, "loadgen: Unrecognized command or argument '--turbo'. (see --help)")]
    [InlineData(new[] { "--users", "0" }, "loadgen: --users must be from 1 to 1000000, not 0")]
    public async Task Exits_with_code_2_and_one_line_for_invalid_options(string[] args, string expected)
    {
        var outcome = await LoadGeneratorProcess.RunAsync(_workingDirectory, args);

        Assert.Equal(LoadGeneratorCommand.InvalidOptions, outcome.ExitCode);
        Assert.Equal(expected + Environment.NewLine, outcome.Error);
        Assert.Empty(outcome.Output);
    }

    private LoadSettings Bind(params string[] args) => BindIn(_workingDirectory, args);

    private static LoadSettings BindIn(string workingDirectory, params string[] args)
    {
        var options = new LoadGeneratorOptions();
        var parseResult = LoadGeneratorCommand.Create(options).Parse(args);
        Assert.Empty(parseResult.Errors);
        var time = new FixedClock(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
        return LoadSettingsBinder.Bind(parseResult, options, new LoadGeneratorEnvironment(workingDirectory, null, time));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
