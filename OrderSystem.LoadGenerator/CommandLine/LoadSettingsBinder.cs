using System.CommandLine;
using System.Globalization;
using OrderSystem.LoadGenerator.Endpoints;
using OrderSystem.LoadGenerator.Scenarios;

namespace OrderSystem.LoadGenerator.CommandLine;

/// <summary>
/// Turns parsed options into <see cref="LoadSettings"/>, checking each value and how they go together, and finding
/// the Gateway (options or endpoints.json). Every problem is an <see cref="InvalidOptionsException"/> with one line
/// that names the option.
/// </summary>
public static class LoadSettingsBinder
{
    public const int MaxConcurrency = 10_000;
    public const double MaxRate = 100_000;
    public const int MaxUsers = 1_000_000;
    public const int MaxInFlightLimit = 100_000;
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(1);

    public static LoadSettings Bind(ParseResult parseResult, LoadGeneratorOptions options, LoadGeneratorEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);

        // The values first, then the Gateway: a typo is reported before a missing endpoints.json.
        var (model, rate, concurrency) = BindModel(parseResult.GetValue(options.Rate), parseResult.GetValue(options.Concurrency));
        var duration = ParseDuration("--duration", parseResult.GetValue(options.Duration), allowZero: false);
        var warmup = ParseDuration("--warmup", parseResult.GetValue(options.Warmup), allowZero: true);
        var mix = ScenarioMix.TryParse(parseResult.GetValue(options.Mix) ?? string.Empty, out var mixError) ?? throw new InvalidOptionsException("--mix: " + mixError);
        var users = InRange("--users", parseResult.GetValue(options.Users), 1, MaxUsers);
        var declinedRate = parseResult.GetValue(options.DeclinedRate);
        if (declinedRate is not (>= 0 and <= 1))
        {
            throw new InvalidOptionsException($"--declined-rate must be from 0 to 1, not {Invariant(declinedRate)}");
        }

        var skus = ParseSkus(parseResult.GetValue(options.Skus));
        var requestTimeout = ParseDuration("--request-timeout", parseResult.GetValue(options.RequestTimeout), allowZero: false);
        var maxInFlight = InRange("--max-in-flight", parseResult.GetValue(options.MaxInFlight), 1, MaxInFlightLimit);
        var target = ResolveTarget(parseResult.GetValue(options.Gateway), parseResult.GetValue(options.ApiKey), parseResult.GetValue(options.Endpoints), environment);
        return new LoadSettings
        {
            Model = model,
            Rate = rate,
            Concurrency = concurrency,
            Duration = duration,
            Warmup = warmup,
            Mix = mix,
            Users = users,
            DeclinedRate = declinedRate,
            Skus = skus,
            Target = target,
            OutputPath = ResolveOutput(parseResult.GetValue(options.Output), target, environment),
            Seed = parseResult.GetValue(options.Seed) ?? Random.Shared.Next(),
            RequestTimeout = requestTimeout,
            MaxInFlight = maxInFlight,
        };
    }

    private static HashSet<string>? ParseSkus(string? list)
    {
        if (list is null)
        {
            return null;
        }

        var skus = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        return skus.Count > 0 ? skus : throw new InvalidOptionsException("--skus needs at least one SKU, e.g. --skus SKU-0001,SKU-0002");
    }

    private static (LoadModelKind Model, double Rate, int Concurrency) BindModel(double? rate, int? concurrency) => (rate, concurrency) switch
    {
        ({ }, { }) => throw new InvalidOptionsException("--rate (open model) and --concurrency (closed model) exclude each other: give one"),
        (null, { } users) => (LoadModelKind.Closed, 0, InRange("--concurrency", users, 1, MaxConcurrency)),
        ({ } perSecond, null) when double.IsFinite(perSecond) && perSecond > 0 && perSecond <= MaxRate => (LoadModelKind.Open, perSecond, 0),
        ({ } perSecond, null) => throw new InvalidOptionsException($"--rate must be above 0 and at most {Invariant(MaxRate)} per second, not {Invariant(perSecond)}"),
        _ => (LoadModelKind.Open, LoadGeneratorOptions.DefaultRate, 0),
    };

    private static GatewayTarget ResolveTarget(string? gateway, string? apiKey, string? endpointsPath, LoadGeneratorEnvironment environment)
    {
        if (gateway is not null && endpointsPath is not null)
        {
            throw new InvalidOptionsException("--gateway and --endpoints exclude each other: give the Gateway or the file that names it");
        }

        if (gateway is not null)
        {
            // The key in endpoints.json belongs to the Gateway that file names; it is never sent anywhere else.
            return string.IsNullOrWhiteSpace(apiKey)
                ? throw new InvalidOptionsException("--gateway needs --api-key too: the key in endpoints.json is for the Gateway it names")
                : new GatewayTarget(ParseGatewayUrl("--gateway", gateway), apiKey, null, null);
        }

        var path = FindEndpointsFile(endpointsPath, environment);
        var document = EndpointsDocument.Load(path);
        var url = document.Gateway ?? throw new InvalidOptionsException($"{path} names no gateway; is the system up (./run.sh)?");
        var key = apiKey ?? document.ApiKey ?? throw new InvalidOptionsException($"{path} has no apiKey; pass --api-key");
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new InvalidOptionsException("--api-key must not be empty");
        }

        var dashboard = document.Dashboard is { } text && Uri.TryCreate(text, UriKind.Absolute, out var dashboardUri) ? dashboardUri : null;
        return new GatewayTarget(ParseGatewayUrl($"the gateway in {path}", url), key, dashboard, path);
    }

    private static string FindEndpointsFile(string? endpointsPath, LoadGeneratorEnvironment environment)
    {
        if (endpointsPath is not null)
        {
            var full = Path.GetFullPath(endpointsPath, environment.CurrentDirectory);
            return File.Exists(full) ? full : throw new InvalidOptionsException($"--endpoints: {full} does not exist");
        }

        return EndpointsFileLocator.Find(environment.CurrentDirectory, environment.StateDirectory)
            ?? throw new InvalidOptionsException(environment.StateDirectory is { Length: > 0 } stateDirectory
                ? $"no {EndpointsFileLocator.FileName} in ${EndpointsFileLocator.StateDirectoryVariable} ({stateDirectory}); start the system (./run.sh) or pass --gateway and --api-key"
                : $"no {EndpointsFileLocator.StateFolderName}/{EndpointsFileLocator.FileName} in {environment.CurrentDirectory} or above; start the system (./run.sh), or pass --endpoints, or --gateway and --api-key");
    }

    /// <summary>Only an absolute http(s) URL without credentials, query or fragment: the base every request is built on.</summary>
    public static Uri ParseGatewayUrl(string source, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOptionsException($"{source} must be an absolute http:// or https:// URL, not '{text}'");
        }

        if (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new InvalidOptionsException($"{source} must be a base URL without credentials, query or fragment");
        }

        return uri;
    }

    private static string? ResolveOutput(string? output, GatewayTarget target, LoadGeneratorEnvironment environment)
    {
        if (output is null)
        {
            return target.EndpointsFile is { } endpoints
                ? Path.Combine(Path.GetDirectoryName(endpoints)!, "loadgen", $"result-{environment.TimeProvider.GetUtcNow():yyyyMMdd-HHmmss}.json")
                : null;
        }

        var full = Path.GetFullPath(output, environment.CurrentDirectory);
        if (Directory.Exists(full))
        {
            throw new InvalidOptionsException($"--output: {full} is a directory; name a file");
        }

        return Directory.Exists(Path.GetDirectoryName(full))
            ? full
            : throw new InvalidOptionsException($"--output: the directory {Path.GetDirectoryName(full)} does not exist");
    }

    private static TimeSpan ParseDuration(string option, string? text, bool allowZero)
    {
        if (!DurationText.TryParse(text, out var duration))
        {
            throw new InvalidOptionsException($"{option}: '{text}' is not a duration such as 500ms, 30s, 2m or 1h");
        }

        if (duration > MaxDuration || duration < TimeSpan.Zero || (!allowZero && duration == TimeSpan.Zero))
        {
            throw new InvalidOptionsException($"{option} must be {(allowZero ? "0" : "above 0")} to {MaxDuration.TotalHours} h, not {text}");
        }

        return duration;
    }

    private static int InRange(string option, int value, int min, int max) =>
        value >= min && value <= max ? value : throw new InvalidOptionsException($"{option} must be from {min} to {max}, not {value}");

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
