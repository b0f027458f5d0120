using System.Globalization;

namespace OrderSystem.Benchmarks.Redis;

/// <summary>Command-line options of the <c>redis</c> benchmark.</summary>
internal sealed record RedisBenchmarkOptions(string? Host, int? Port, int Requests, int Clients, int[] Depths, int DataSize)
{
    public const string Usage =
        "usage: redis [--host H --port P] [--requests N] [--clients C] [--depths 1,32] [--data-size BYTES]\n" +
        "  without --port a private redis-server is started on a free port (and stopped afterwards)";

    public static RedisBenchmarkOptions Parse(string[] args)
    {
        var options = new RedisBenchmarkOptions(null, null, Requests: 200_000, Clients: 50, Depths: [1, 32], DataSize: 3);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new FormatException($"option {args[i]} needs a value");
            options = args[i] switch
            {
                "--host" => options with { Host = value },
                "--port" => options with { Port = Positive(args[i], value) },
                "--requests" => options with { Requests = Positive(args[i], value) },
                "--clients" => options with { Clients = Positive(args[i], value) },
                "--depths" => options with { Depths = [.. value.Split(',').Select(depth => Positive(args[i], depth))] },
                "--data-size" => options with { DataSize = Positive(args[i], value) },
                _ => throw new FormatException($"unknown option '{args[i]}'"),
            };
            i++;
        }

        if (options.Host is not null && options.Port is null)
        {
            throw new FormatException("--host needs --port");
        }

        return options;
    }

    private static int Positive(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new FormatException($"{option} expects a positive integer, got '{value}'");
}
