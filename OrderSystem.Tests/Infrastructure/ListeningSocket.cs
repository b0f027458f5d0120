using System.Globalization;
using System.Net;

namespace OrderSystem.Tests.Infrastructure;

/// <summary>A TCP socket in LISTEN state on this machine, as Linux's <c>/proc/net/tcp</c> and <c>tcp6</c> list it.</summary>
public sealed record ListeningSocket(IPEndPoint EndPoint, long Inode)
{
    private const string Listen = "0A";

    public static IReadOnlyList<ListeningSocket> All()
    {
        var sockets = new List<ListeningSocket>();
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists))
        {
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (columns[3] != Listen)
                {
                    continue;
                }

                var local = columns[1].Split(':');
                var endPoint = new IPEndPoint(ParseAddress(local[0]), int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                sockets.Add(new ListeningSocket(endPoint, long.Parse(columns[9], CultureInfo.InvariantCulture)));
            }
        }

        return sockets;
    }

    /// <summary>Whether process <paramref name="pid"/> holds this socket (one of its file descriptors is it).</summary>
    public bool IsHeldBy(int pid)
    {
        var target = $"socket:[{Inode.ToString(CultureInfo.InvariantCulture)}]";
        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd")
                .Any(fd => new FileInfo(fd).LinkTarget == target);
        }
        catch (Exception exception) when (exception is DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The kernel writes addresses as 32-bit words in host (little-endian) order.</summary>
    private static IPAddress ParseAddress(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        for (var word = 0; word < bytes.Length; word += 4)
        {
            Array.Reverse(bytes, word, 4);
        }

        var address = new IPAddress(bytes);
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }
}
