using System.Globalization;
using System.Text;

namespace OrderSystem.ServiceDefaults.Redis;

/// <summary>
/// Where and how to connect to one Redis server, parsed from the StackExchange.Redis-style connection string that
/// Aspire injects: <c>host:port[,password=...][,user=...][,defaultDatabase=N][,ssl=false][,abortConnect=false][,connectTimeout=ms]</c>.
/// Keys are case-insensitive and unknown keys are ignored. <see cref="ToString"/> never shows the password.
/// </summary>
public sealed class RedisConnectionOptions
{
    public const int DefaultPort = 6379;

    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly string _host = "localhost";
    private readonly int _port = DefaultPort;
    private readonly int _defaultDatabase;
    private readonly TimeSpan _connectTimeout = DefaultConnectTimeout;

    public string Host
    {
        get => _host;
        init
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value);
            _host = value;
        }
    }

    public int Port
    {
        get => _port;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 65535);
            _port = value;
        }
    }

    /// <summary>ACL user for <c>AUTH user password</c>; <see langword="null"/> authenticates as the default user.</summary>
    public string? User { get; init; }

    public string? Password { get; init; }

    /// <summary>The database index selected with <c>SELECT</c> on every (re)connect.</summary>
    public int DefaultDatabase
    {
        get => _defaultDatabase;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _defaultDatabase = value;
        }
    }

    /// <summary>Bounds one connection attempt: TCP connect plus AUTH and SELECT.</summary>
    public TimeSpan ConnectTimeout
    {
        get => _connectTimeout;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _connectTimeout = value;
        }
    }

    /// <summary><c>host:port</c>, with an IPv6 host in brackets; safe to log.</summary>
    public string EndPoint => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    public static RedisConnectionOptions Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new FormatException("The Redis connection string is empty; expected 'host:port[,password=...][,defaultDatabase=N]'.");
        }

        (string Host, int Port)? endPoint = null;
        string? user = null;
        string? password = null;
        var defaultDatabase = 0;
        var connectTimeout = DefaultConnectTimeout;

        foreach (var part in connectionString.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = part.IndexOf('=', StringComparison.Ordinal);
            if (separator < 0)
            {
                if (endPoint is not null)
                {
                    throw new FormatException($"The Redis connection string names more than one endpoint ('{endPoint.Value.Host}:{endPoint.Value.Port}' and '{part}'); this client connects to exactly one server.");
                }

                endPoint = ParseEndPoint(part);
                continue;
            }

            var key = part[..separator].Trim();
            var value = part[(separator + 1)..].Trim();
            switch (key.ToUpperInvariant())
            {
                case "PASSWORD":
                    password = value.Length == 0 ? null : value;
                    break;
                case "USER":
                    user = value.Length == 0 ? null : value;
                    break;
                case "DEFAULTDATABASE":
                    defaultDatabase = ParseInteger(key, value, minimum: 0);
                    break;
                case "CONNECTTIMEOUT":
                    connectTimeout = TimeSpan.FromMilliseconds(ParseInteger(key, value, minimum: 1));
                    break;
                case "SSL":
                    if (ParseBoolean(key, value))
                    {
                        throw new FormatException("The Redis connection string asks for ssl=true, but this client speaks plain TCP only; use ssl=false.");
                    }

                    break;
                case "ABORTCONNECT":
                    // Accepted for compatibility (Aspire writes it). The client always connects lazily and keeps
                    // reconnecting in the background, which is StackExchange.Redis' abortConnect=false behaviour.
                    ParseBoolean(key, value);
                    break;
            }
        }

        if (endPoint is not { } resolved)
        {
            throw new FormatException("The Redis connection string has no 'host:port' endpoint.");
        }

        return new RedisConnectionOptions
        {
            Host = resolved.Host,
            Port = resolved.Port,
            User = user,
            Password = password,
            DefaultDatabase = defaultDatabase,
            ConnectTimeout = connectTimeout,
        };
    }

    /// <summary>The connection string with the password masked, so options can be logged.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(EndPoint);
        if (User is not null)
        {
            text.Append(",user=").Append(User);
        }

        if (Password is not null)
        {
            text.Append(",password=*****");
        }

        text.Append(CultureInfo.InvariantCulture, $",defaultDatabase={DefaultDatabase},connectTimeout={(long)ConnectTimeout.TotalMilliseconds}");
        return text.ToString();
    }

    private static (string Host, int Port) ParseEndPoint(string text)
    {
        string host;
        string? port;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < text.Length && text[close + 1] != ':'))
            {
                throw new FormatException($"The Redis endpoint '{text}' is not a valid '[ipv6]:port'.");
            }

            host = text[1..close];
            port = close + 1 < text.Length ? text[(close + 2)..] : null;
        }
        else
        {
            var colon = text.LastIndexOf(':');
            // More than one colon without brackets is a bare IPv6 address: it has no port.
            var hasPort = colon >= 0 && text.IndexOf(':', StringComparison.Ordinal) == colon;
            host = hasPort ? text[..colon] : text;
            port = hasPort ? text[(colon + 1)..] : null;
        }

        if (host.Length == 0)
        {
            throw new FormatException($"The Redis endpoint '{text}' has no host.");
        }

        if (port is null)
        {
            return (host, DefaultPort);
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            throw new FormatException($"The Redis endpoint '{text}' has an invalid port '{port}'; expected 1-65535.");
        }

        return (host, number);
    }

    private static int ParseInteger(string key, string value, int minimum)
    {
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) || number < minimum)
        {
            throw new FormatException($"The Redis connection string has an invalid {key} '{value}'; expected an integer >= {minimum}.");
        }

        return number;
    }

    private static bool ParseBoolean(string key, string value) =>
        bool.TryParse(value, out var flag)
            ? flag
            : throw new FormatException($"The Redis connection string has an invalid {key} '{value}'; expected true or false.");
}
