using CsCheck;
using Grpc.Core;
using Grpc.Net.Client;
using Npgsql;
using OrderSystem.Contracts.Inventory;
using OrderSystem.Contracts.Orders;
using OrderSystem.Tests.Infrastructure;
using OrderSystem.Tests.Inventory;
using OrderSystem.Tests.Orders;

namespace OrderSystem.Tests.Properties;

/// <summary>
/// Generated messages to the topology's Orders and Inventory over gRPC: random ids and SKUs (blank, long, control
/// characters, any text), zero, negative and huge quantities, and empty and long lists. No call is answered INTERNAL or UNKNOWN, a request that breaks the contract's rules is INVALID_ARGUMENT,
/// and what is in the databases afterwards is whole: an order with all its lines or none, a deduction of every line
/// or of none.
/// </summary>
[Collection(TopologyCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class GrpcContractProperties(TopologyFixture fixture) : IAsyncLifetime
{
    private const int MaxIdLength = 128;

    private static readonly StatusCode[] ServerFaults = [StatusCode.Internal, StatusCode.Unknown, StatusCode.DataLoss, StatusCode.Unimplemented];

    private static readonly Gen<CreateOrderShape> CreateOrder = Gen.Select(
        GrpcGen.Id,
        GrpcGen.Lines,
        Gen.Frequency((8, Gen.Const(true)), (1, Gen.Const(false))),
        Gen.Frequency((8, Gen.Const("card")), (1, Gen.OneOf(Gen.Const(string.Empty), Gen.Const(" "), Gen.Const("cash")))),
        Gen.Frequency((6, Gen.Const(OrderRequests.CapturedCard)), (2, Gen.Const(OrderRequests.DeclinedCard)), (1, Gen.String[Gen.Char, 0, 24])),
        GrpcGen.Amount,
        Gen.Frequency((3, Gen.Const(string.Empty)), (1, GrpcGen.Id)),
        static (user, lines, withPayment, method, card, amount, key) => new CreateOrderShape(user, lines, withPayment, method, card, amount, key));

    private static readonly Gen<StockChangeShape> StockChange = Gen.Select(
        Gen.Frequency((6, Gen.Const(GrpcGen.Fresh)), (1, GrpcGen.Id)),
        GrpcGen.Lines,
        Gen.Int[0, 2],
        static (orderId, lines, method) => new StockChangeShape(orderId, lines, (StockMethod)method));

    private readonly InventoryHarness _inventory = new(fixture.Topology);
    private readonly NpgsqlDataSource _ordersDatabase = NpgsqlDataSource.Create(fixture.Topology.GetConnectionString("ordersdb"));
    private readonly GrpcChannel _orders = GrpcChannel.ForAddress(fixture.Topology.GetEndpoint("orders", "grpc"));
    private string[] _skus = [];

    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        // Enough stock that small orders never run out; a huge quantity still does.
        _skus = await _inventory.CreateSkusAsync(1_000_000, 1_000_000);

    public async ValueTask DisposeAsync()
    {
        _orders.Dispose();
        await _ordersDatabase.DisposeAsync();
        await _inventory.DisposeAsync();
    }

    [Fact]
    public async Task CreateOrder_never_fails_inside_rejects_what_breaks_the_contract_and_stores_orders_whole()
    {
        var client = new OrderService.OrderServiceClient(_orders);
        await CreateOrder.SampleAsync(
            async shape =>
            {
                var fresh = Guid.NewGuid().ToString("N");
                var request = shape.ToRequest(fresh, _skus);
                var status = await CallAsync(() => client.CreateOrderAsync(request, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: CancellationToken).ResponseAsync);

                Assert.True(!ServerFaults.Contains(status.StatusCode), $"answered {status}");
                if (shape.BreaksContract(request))
                {
                    Assert.True(status.StatusCode == StatusCode.InvalidArgument, $"expected INVALID_ARGUMENT, got {status}");
                }

                var stored = await StoredOrdersAsync(fresh);
                if (status.StatusCode == StatusCode.OK)
                {
                    var (orderStatus, lines) = Assert.Single(stored);
                    Assert.Contains(orderStatus, (string[])["CONFIRMED", "FAILED", "PENDING"]);
                    Assert.Equal(request.Items.Count, lines);
                }
                else
                {
                    // A rejected order leaves nothing behind, or a FAILED order with every line (the saga's record of it).
                    Assert.All(stored, order => Assert.True(order is ("FAILED", var lines) && lines == request.Items.Count, $"{status} left {order}"));
                }
            },
            iter: 120,
            threads: 2,
            print: shape => shape.ToString());
    }

    [Fact]
    public async Task Stock_changes_never_fail_inside_and_apply_every_line_or_none()
    {
        var client = _inventory.Client;
        await StockChange.SampleAsync(
            async shape =>
            {
                var orderId = Guid.NewGuid();
                var request = shape.ToRequest(orderId.ToString(), _skus);
                var status = await CallAsync<object>(async () => shape.Method switch
                {
                    StockMethod.Check => await client.CheckAvailabilityAsync(new CheckAvailabilityRequest { Items = { request.Items } }, cancellationToken: CancellationToken),
                    StockMethod.Deduct => await client.DeductAsync(request, cancellationToken: CancellationToken),
                    _ => await client.ReleaseAsync(request, cancellationToken: CancellationToken),
                });

                Assert.True(!ServerFaults.Contains(status.StatusCode), $"answered {status}");
                if (shape.BreaksContract(request))
                {
                    Assert.True(status.StatusCode == StatusCode.InvalidArgument, $"expected INVALID_ARGUMENT, got {status}");
                }

                var reservations = await _inventory.GetReservationsAsync(orderId);
                switch (shape.Method)
                {
                    case StockMethod.Deduct when status.StatusCode == StatusCode.OK:
                        Assert.Equal(request.Items.Count, reservations.Length);
                        break;
                    case StockMethod.Release when status.StatusCode == StatusCode.OK:
                        // Released before any deduction: every line is marked CANCELLED, so a late Deduct is not applied.
                        Assert.Equal(request.Items.Count, reservations.Length);
                        Assert.All(reservations, reservation => Assert.EndsWith(":CANCELLED", reservation, StringComparison.Ordinal));
                        break;
                    default:
                        Assert.Empty(reservations);
                        break;
                }

                foreach (var sku in _skus)
                {
                    Assert.True(await _inventory.GetAvailableAsync(sku) >= 0, $"{sku} went negative");
                }
            },
            iter: 150,
            threads: 2,
            print: shape => shape.ToString());
    }

    private static async Task<Status> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            await call();
            return Status.DefaultSuccess;
        }
        catch (RpcException exception)
        {
            return exception.Status;
        }
    }

    /// <summary>The orders whose user id contains <paramref name="fresh"/>, as (status, number of lines).</summary>
    private async Task<List<(string Status, int Lines)>> StoredOrdersAsync(string fresh)
    {
        await using var command = _ordersDatabase.CreateCommand(
            "SELECT o.status, (SELECT count(*) FROM order_items i WHERE i.order_id = o.id)::int FROM orders o WHERE strpos(o.user_id, $1) > 0");
        command.Parameters.Add(new() { Value = fresh });
        var orders = new List<(string, int)>();
        await using var reader = await command.ExecuteReaderAsync(CancellationToken);
        while (await reader.ReadAsync(CancellationToken))
        {
            orders.Add((reader.GetString(0), reader.GetInt32(1)));
        }

        return orders;
    }

    private static bool IsBadId(string value, bool required) =>
        (required || value.Length > 0) && (string.IsNullOrWhiteSpace(value) || value.Length > MaxIdLength || value.Any(char.IsControl));

    private static bool BreaksLineRules(IEnumerable<(string Sku, int Quantity)> lines, int maxLines, int maxSkuLength)
    {
        var all = lines.ToList();
        return all.Count == 0 || all.Count > maxLines
            || all.Any(line => line.Quantity <= 0 || string.IsNullOrWhiteSpace(line.Sku) || line.Sku.Length > maxSkuLength)
            || all.Select(line => line.Sku).Distinct(StringComparer.Ordinal).Count() < all.Count;
    }

    private static string Print((string Sku, int Quantity)[] lines) =>
        "[" + string.Join(", ", lines.Select(line => $"{JsonGen.Quote(line.Sku)} x {line.Quantity}")) + "]";

    private sealed record CreateOrderShape(
        string User, (string Sku, int Quantity)[] Lines, bool WithPayment, string Method, string Card, string Amount, string IdempotencyKey)
    {
        public override string ToString() =>
            $"user {JsonGen.Quote(User)}, lines {Print(Lines)}, payment {(WithPayment ? $"{JsonGen.Quote(Method)} {JsonGen.Quote(Card)} amount {JsonGen.Quote(Amount)}" : "none")}, idempotency key {JsonGen.Quote(IdempotencyKey)}";

        public CreateOrderRequest ToRequest(string fresh, IReadOnlyList<string> skus)
        {
            var request = new CreateOrderRequest
            {
                UserId = GrpcGen.Resolve(User, fresh, skus),
                IdempotencyKey = GrpcGen.Resolve(IdempotencyKey, Guid.NewGuid().ToString("N"), skus),
                Payment = WithPayment ? new PaymentDetails { Method = Method, CardNumber = Card, Amount = Amount } : null,
            };
            request.Items.AddRange(Lines.Select(line => new OrderItem { Sku = GrpcGen.Resolve(line.Sku, fresh, skus), Quantity = line.Quantity }));
            return request;
        }

        /// <summary>What Orders must reject before anything else (orders.proto and CreateOrderCommand's rules).</summary>
        public bool BreaksContract(CreateOrderRequest request) =>
            IsBadId(request.UserId, required: true)
            || IsBadId(request.IdempotencyKey, required: false)
            || BreaksLineRules(request.Items.Select(item => (item.Sku, item.Quantity)), maxLines: 50, maxSkuLength: MaxIdLength)
            || request.Items.Any(item => item.Sku.Any(char.IsControl))
            || request.Payment is null || string.IsNullOrWhiteSpace(request.Payment.Method) || string.IsNullOrWhiteSpace(request.Payment.CardNumber);
    }

    private enum StockMethod
    {
        Check,
        Deduct,
        Release,
    }

    private sealed record StockChangeShape(string OrderId, (string Sku, int Quantity)[] Lines, StockMethod Method)
    {
        public override string ToString() => $"{Method} order {JsonGen.Quote(OrderId)}, lines {Print(Lines)}";

        public StockChangeRequest ToRequest(string orderId, IReadOnlyList<string> skus)
        {
            var request = new StockChangeRequest { OrderId = GrpcGen.Resolve(OrderId, orderId, skus) };
            request.Items.AddRange(Lines.Select(line => new StockLine { Sku = GrpcGen.Resolve(line.Sku, orderId, skus), Quantity = line.Quantity }));
            return request;
        }

        /// <summary>What Inventory must reject (inventory.proto and StockRequests' rules).</summary>
        public bool BreaksContract(StockChangeRequest request) =>
            BreaksLineRules(request.Items.Select(item => (item.Sku, item.Quantity)), maxLines: 100, maxSkuLength: 64)
            || (Method != StockMethod.Check && !Guid.TryParse(request.OrderId, out _));
    }
}
