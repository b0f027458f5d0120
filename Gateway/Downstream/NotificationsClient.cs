using OrderSystem.Gateway.Model;

namespace OrderSystem.Gateway.Downstream;

/// <summary>
/// Notifications' HTTP API (<c>http://notifications</c>, resolved by service discovery; retries and the circuit
/// breaker come from the standard resilience handler). A failure throws <see cref="HttpRequestException"/>.
/// </summary>
public sealed class NotificationsClient(HttpClient httpClient)
{
    public static readonly Uri BaseAddress = new("http://notifications");

    public async Task<IReadOnlyList<NotificationResponse>> GetByOrderAsync(string orderId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(orderId);
        var notifications = await httpClient.GetFromJsonAsync<List<NotificationResponse>>(
            $"/api/notifications?orderId={Uri.EscapeDataString(orderId)}", cancellationToken);
        return notifications ?? [];
    }
}
