using OrderSystem.Contracts.Orders;

namespace OrderSystem.Tests.Orders;

/// <summary>CreateOrder requests for the tests: a fresh user each time, so tests never see each other's orders.</summary>
internal static class OrderRequests
{
    public const string CapturedCard = "4242424242424242";
    public const string DeclinedCard = "4000000000000002";

    public static string NewUser() => $"orders-test-{Guid.NewGuid():N}";

    public static CreateOrderRequest Create(string userId, string card, params (string Sku, int Quantity)[] lines)
    {
        var request = new CreateOrderRequest
        {
            UserId = userId,
            Payment = new PaymentDetails { Method = "card", CardNumber = card },
        };
        request.Items.AddRange(lines.Select(line => new OrderItem { Sku = line.Sku, Quantity = line.Quantity }));
        return request;
    }
}
