using System.Diagnostics;
using System.Text.RegularExpressions;

namespace OrderSystem.Tests.Kafka;

/// <summary>The AppHost's <c>messaging</c> resource, run as the AppHost runs it.</summary>
[Trait("Category", "Integration")]
public sealed partial class KafkaBrokerProcessTests : IAsyncDisposable
{
    private readonly Process _broker = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "OrderSystem.KafkaBroker.dll")])
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    })!;

    [Fact]
    public async Task Prints_its_address_accepts_messages_and_stops_cleanly_on_sigterm()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var line = await _broker.StandardOutput.ReadLineAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
        var match = ListeningLine().Match(line ?? "");
        Assert.True(match.Success, $"unexpected first line: {line}");

        using (var producer = KafkaTestProducer.Create(match.Groups["address"].Value))
        {
            var stored = await producer.ProduceAsync("order.events", "order-1", "placed"u8.ToArray(), cancellationToken: cancellationToken);
            Assert.Equal(0, stored.Offset.Value);
        }

        using (var terminate = Process.Start("kill", ["-TERM", _broker.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await terminate.WaitForExitAsync(cancellationToken);
        }

        // SIGTERM stops the broker gracefully: within the deadline (TimeoutException otherwise) and with exit code 0.
        await _broker.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        Assert.Equal(0, _broker.ExitCode);
        Assert.Equal("", await _broker.StandardOutput.ReadToEndAsync(cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_broker.HasExited)
        {
            _broker.Kill(entireProcessTree: true);
            await _broker.WaitForExitAsync();
        }

        _broker.Dispose();
    }

    [GeneratedRegex(@"^Kafka broker listening on (?<address>127\.0\.0\.1:\d+)$")]
    private static partial Regex ListeningLine();
}
