namespace OrderSystem.Gateway.Model;

/// <summary>A notification sent about an order, as Notifications records it.</summary>
/// <param name="Channel">email or sms.</param>
/// <param name="Recipient">Masked by Notifications; the full address never leaves it.</param>
public sealed record NotificationResponse(Guid Id, string Channel, string Recipient, string Message, DateTimeOffset CreatedAt);
