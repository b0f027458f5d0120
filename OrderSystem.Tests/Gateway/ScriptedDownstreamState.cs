using System.Collections.Concurrent;
using Grpc.Core;
using OrderSystem.Contracts.Inventory;
using OrderSystem.Contracts.Orders;

namespace OrderSystem.Tests.Gateway;

/// <summary>What the scripted Orders and Inventory services were asked and what they hold, for the tests to look at.</summary>
public sealed class ScriptedDownstreamState
{
    private readonly ConcurrentDictionary<string, Order> _orders = new();
    private readonly ConcurrentQueue<CreateOrderRequest> _createRequests = new();
    private readonly ConcurrentQueue<ListOrdersRequest> _listRequests = new();
    private readonly ConcurrentDictionary<string, bool> _cancellations = new();
    private readonly ConcurrentQueue<ListProductsRequest> _productRequests = new();
    private readonly ConcurrentDictionary<string, TimeSpan?> _timeLeftOnArrival = new();

    public int CreateOrderCalls => _createRequests.Count;

    public IReadOnlyCollection<Order> Orders => [.. _orders.Values];

    public CreateOrderRequest? LastCreateRequestOf(string userId) => _createRequests.LastOrDefault(request => request.UserId == userId);

    public ListOrdersRequest? LastListRequestOf(string userId) => _listRequests.LastOrDefault(request => request.UserId == userId);

    /// <summary>For a call that waited until it was cancelled: whether that came before its deadline (the client went away).</summary>
    public bool? CancelledBeforeDeadline(string userId) => _cancellations.TryGetValue(userId, out var early) ? early : null;

    public IReadOnlyCollection<ListProductsRequest> ProductRequests => _productRequests;

    /// <summary>When set, ListProducts fails with this status instead of answering.</summary>
    public StatusCode? ProductsFailure { get; set; }

    /// <summary>How much of its deadline a CreateOrder call had left when it arrived; null when it had none.</summary>
    public TimeSpan? TimeLeftOnArrival(string userId) => _timeLeftOnArrival.GetValueOrDefault(userId);

    public Order? Find(string orderId) => _orders.GetValueOrDefault(orderId);

    internal void Record(CreateOrderRequest request, TimeSpan? timeLeft)
    {
        _timeLeftOnArrival[request.UserId] = timeLeft;
        _createRequests.Enqueue(request);
    }

    internal void Record(ListOrdersRequest request) => _listRequests.Enqueue(request);

    internal void Record(ListProductsRequest request) => _productRequests.Enqueue(request);

    internal void Store(Order order) => _orders[order.Id] = order;

    internal void RecordCancellation(string userId, bool beforeDeadline) => _cancellations[userId] = beforeDeadline;
}
