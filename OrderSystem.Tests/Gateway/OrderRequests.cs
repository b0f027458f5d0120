using System.Net.Http.Json;

namespace OrderSystem.Tests.Gateway;

/// <summary><c>POST /api/orders</c> for one SKU, paid by card.</summary>
public static class OrderRequests
{
    public const string CapturedCard = "4242424242424242";
    public const string DeclinedCard = "4000000000000002";

    public static async Task<HttpResponseMessage> PostAsync(
        HttpClient client,
        string userId,
        string sku,
        int quantity = 1,
        string cardNumber = CapturedCard,
        string? idempotencyKey = null,
        decimal? amount = null,
        CancellationToken? cancellationToken = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
        {
            Content = JsonContent.Create(new
            {
                userId,
                items = new[] { new { sku, quantity } },
                payment = new { method = "card", cardNumber, amount },
            }),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request, cancellationToken ?? TestContext.Current.CancellationToken);
    }
}
