using Microsoft.AspNetCore.Http.HttpResults;
using OrderSystem.Notifications.Infrastructure;
using OrderSystem.Notifications.Model;

namespace OrderSystem.Notifications.Apis;

internal static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/notifications");
        api.MapGet("", GetNotificationsByOrder);
        return app;
    }

    /// <summary>The notifications of one order, oldest first; an order without any gives an empty list.</summary>
    public static async Task<Results<Ok<IReadOnlyList<Notification>>, ValidationProblem>> GetNotificationsByOrder(
        string? orderId,
        NotificationStore store,
        CancellationToken cancellationToken)
    {
        // Parsed here rather than bound as Guid, so a bad value gets a problem document naming the parameter.
        if (!Guid.TryParse(orderId, out var id) || id == Guid.Empty)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["orderId"] = ["orderId is required and must be a non-empty GUID, e.g. ?orderId=0f8fad5b-d9cb-469f-a165-70867728950e."],
            });
        }

        return TypedResults.Ok(await store.GetByOrderAsync(id, cancellationToken));
    }
}
