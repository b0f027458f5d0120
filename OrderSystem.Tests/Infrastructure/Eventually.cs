namespace OrderSystem.Tests.Infrastructure;

/// <summary>Waits for a condition with a deadline, polling; tests never sleep a fixed time.</summary>
public static class Eventually
{
    public static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, TimeSpan? interval = null)
    {
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
            catch (Exception exception) when (exception is HttpRequestException or IOException or TaskCanceledException)
            {
                lastError = exception;
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(200));
        }

        throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}" + (lastError is null ? string.Empty : $" (last error: {lastError.Message})"));
    }

    /// <summary>The same for a value type: the probe returns null until the value is there.</summary>
    public static async Task<T> WaitForValueAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
        where T : struct =>
        (T)await WaitForAsync<object>(async () => await probe() is { } value ? value : null, timeout, what);

    public static Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? interval = null) =>
        WaitForAsync<object>(async () => await condition() ? new object() : null, timeout, what, interval);
}
