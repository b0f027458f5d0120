namespace OrderSystem.Notifications.Model;

/// <summary>The channel names stored in <c>notifications.channel</c> and used as the <c>notification.channel</c> attribute.</summary>
internal static class NotificationChannel
{
    public const string Email = "email";
    public const string Sms = "sms";
}
