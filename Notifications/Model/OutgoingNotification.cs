namespace OrderSystem.Notifications.Model;

/// <summary>A notification to record and send: the row to store and the recipient to send it to.</summary>
internal sealed record OutgoingNotification(Notification Record, Recipient Recipient);
