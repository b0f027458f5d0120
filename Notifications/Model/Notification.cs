namespace OrderSystem.Notifications.Model;

/// <summary>A recorded notification, as stored and as <c>GET /api/notifications</c> returns it.</summary>
/// <param name="Recipient">Masked; the full address or number is never stored.</param>
public sealed record Notification(
    Guid Id,
    Guid EventId,
    Guid OrderId,
    string UserId,
    string Channel,
    string Recipient,
    string Message,
    DateTimeOffset CreatedAt);
