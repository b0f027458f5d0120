namespace OrderSystem.Tests.Infrastructure;

/// <summary>
/// Waits for a condition with a deadline, polling; tests never sleep a fixed time. The one poller of the tests: a
/// timeout says what was awaited, the last transient error, and what <c>explain</c> adds (the last thing seen).
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(200);

    /// <param name="probe">Returns null until the value is there; connection errors count as "not yet".</param>
    /// <param name="explain">Asked only on a timeout, for what its message should add (what the probe saw last, say).</param>
    /// <exception cref="TimeoutException">The probe returned no value within <paramref name="timeout"/>.</exception>
    public static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, TimeSpan? interval = null, Func<Task<string>>? explain = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var cancellationToken = TestContext.Current.CancellationToken;
        var deadline = DateTimeOffset.UtcNow + timeout;
        Exception? lastError = null;
        while (DateTimeOffset.UtcNow < deadline)
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                lastError = exception;
            }

            await Task.Delay(interval ?? DefaultInterval, cancellationToken);
        }

        var message = $"timed out after {timeout.TotalSeconds:0.#} s waiting for {what}"
            + (lastError is null ? string.Empty : $" (last error: {lastError.Message})");
        throw new TimeoutException(explain is null ? message : $"{message}; {await ExplainAsync(explain)}");
    }

    /// <summary>The same for a value type: the probe returns null until the value is there.</summary>
    public static async Task<T> WaitForValueAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, Func<Task<string>>? explain = null)
        where T : struct =>
        (T)await WaitForAsync<object>(async () => await probe() is { } value ? value : null, timeout, what, explain: explain);

    public static Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? interval = null, Func<Task<string>>? explain = null) =>
        WaitForAsync<object>(async () => await condition() ? new object() : null, timeout, what, interval, explain);

    /// <summary>The same for a condition on state in this process (what a handler or listener recorded).</summary>
    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what, TimeSpan? interval = null) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, what, interval);

    // What explain says, or why it could not say it: its failure must not hide the timeout it was asked about.
    private static async Task<string> ExplainAsync(Func<Task<string>> explain)
    {
        try
        {
            return await explain();
        }
        catch (Exception exception)
        {
            return $"explaining failed too: {exception.GetType().Name}: {exception.Message}";
        }
    }
}
