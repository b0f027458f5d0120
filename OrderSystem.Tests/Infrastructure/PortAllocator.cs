using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OrderSystem.Tests.Infrastructure;

/// <summary>Finds free loopback ports for the servers the AppHost launches, and checks that a port someone asked for is free.</summary>
/// <remarks>
/// A port is chosen a while before its server binds it (PostgreSQL's initdb runs in between). A port the kernel chose
/// for a <c>bind(0)</c> and that was released again can meanwhile go to anything else that binds port 0 or connects
/// out, so ports come from below the kernel's ephemeral range (<c>net.ipv4.ip_local_port_range</c>), which the kernel
/// never hands out. Another OrderSystem process (a second AppHost, a test) choosing from the same range is kept off a
/// port by a lock file that this process holds until it exits.
/// </remarks>
public static class PortAllocator
{
    private const int LowestPort = 10_000;
    private const int MinimumRangeSize = 1_000;

    private const UnixFileMode AllPermissions =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private static readonly Lazy<string> ReservationDirectory = new(CreateReservationDirectory);
    private static readonly List<FileStream> Reservations = [];
    private static readonly Lazy<(int First, int Last)?> Range = new(ChooseRange);

    public static int AllocateFreePort()
    {
        if (Range.Value is not var (first, last))
        {
            return KernelChosenPort();
        }

        lock (Reservations)
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var port = Random.Shared.Next(first, last + 1);
                if (TryReserve(port) is { } reservation)
                {
                    if (IsFree(port))
                    {
                        Reservations.Add(reservation);
                        return port;
                    }

                    reservation.Dispose();
                }
            }
        }

        return KernelChosenPort();
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static async Task<bool> IsListeningAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>An exclusive lock on the port's file (<c>flock</c> under <see cref="FileShare.None"/>), or null while someone else holds it.</summary>
    private static FileStream? TryReserve(int port)
    {
        try
        {
            return new FileStream(Path.Combine(ReservationDirectory.Value, $"{port}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Shared by every user's runs, like <c>/tmp</c> itself: anyone may add a port's file, only its owner may remove it.</summary>
    private static string CreateReservationDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "ordersystem-ports");
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(directory, AllPermissions | UnixFileMode.StickyBit);
            }
        }

        return directory;
    }

    /// <summary>The larger stretch of at least <see cref="MinimumRangeSize"/> ports outside the ephemeral range, above <see cref="LowestPort"/>.</summary>
    private static (int First, int Last)? ChooseRange()
    {
        var (ephemeralFirst, ephemeralLast) = ReadEphemeralRange();
        (int First, int Last)[] candidates = [(LowestPort, ephemeralFirst - 1), (Math.Max(LowestPort, ephemeralLast + 1), IPEndPoint.MaxPort)];
        return candidates
            .Where(range => range.Last - range.First + 1 >= MinimumRangeSize)
            .OrderByDescending(range => range.Last - range.First)
            .Select(range => ((int, int)?)range)
            .FirstOrDefault();
    }

    private static (int First, int Last) ReadEphemeralRange()
    {
        const string Setting = "/proc/sys/net/ipv4/ip_local_port_range";
        var fields = File.Exists(Setting) ? File.ReadAllText(Setting).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) : [];
        return fields.Length == 2
            && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            ? (first, last)
            : (32_768, 60_999); // Linux's default
    }

    private static int KernelChosenPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
