using System.Net.Sockets;
using System.Text;

namespace OrderSystem.Tests.Security;

/// <summary>
/// One HTTP/1.1 request written by hand on a TCP connection, for what HttpClient will not do: send a body slower than
/// a trickle. The answer is read until the server closes the connection or has sent its whole body.
/// </summary>
internal static class RawHttpExchange
{
    public sealed record Answer(int Status, string Headers, string Body);

    /// <param name="chunks">The body, sent one chunk at a time with <paramref name="pause"/> between chunks, until the
    /// server answers or closes.</param>
    public static async Task<Answer> SendAsync(Uri server, string head, IEnumerable<byte[]> chunks, TimeSpan pause, CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, cancellationToken);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken);
        var reading = ReadAnswerAsync(stream, cancellationToken);
        foreach (var chunk in chunks)
        {
            if (reading.IsCompleted)
            {
                break;
            }

            try
            {
                await stream.WriteAsync(chunk, cancellationToken);
            }
            catch (IOException)
            {
                // The server gave up on the upload and closed the connection: its answer is what counts.
                break;
            }

            // The pause is the slow client under test, not a wait for an outcome.
            await Task.WhenAny(reading, Task.Delay(pause, cancellationToken));
        }

        return await reading;
    }

    private static async Task<Answer> ReadAnswerAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        while (true)
        {
            int read;
            try
            {
                read = await stream.ReadAsync(buffer, cancellationToken);
            }
            catch (IOException)
            {
                read = 0;
            }

            if (read == 0)
            {
                break;
            }

            received.Write(buffer, 0, read);
            if (IsComplete(Encoding.UTF8.GetString(received.ToArray())))
            {
                break;
            }
        }

        var text = Encoding.UTF8.GetString(received.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(split > 0, $"no HTTP answer: '{text}'");
        var headers = text[..split];
        return new Answer(int.Parse(headers.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), headers, text[(split + 4)..]);
    }

    private static bool IsComplete(string text)
    {
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0)
        {
            return false;
        }

        var length = text[..split].Split("\r\n")
            .FirstOrDefault(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))?["Content-Length:".Length..].Trim();
        return length is not null && Encoding.UTF8.GetByteCount(text[(split + 4)..]) >= int.Parse(length, System.Globalization.CultureInfo.InvariantCulture);
    }
}
