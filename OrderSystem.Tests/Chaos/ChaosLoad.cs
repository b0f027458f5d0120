using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Chaos;

/// <summary>
/// A few clients placing orders through the Gateway, one at a time each, as real clients do during an incident: every
/// order has its own <c>Idempotency-Key</c> and is sent again with it while the answer is an error a retry can fix
/// (5xx, 429, no answer), until the order is created (201), declined (402) or refused (another 4xx), or the client
/// gives up. Every fifth order is paid with the card the provider declines, so failed orders with refunds are in the mix.
/// </summary>
internal sealed class ChaosLoad : IAsyncDisposable
{
    /// <summary>How long a client keeps retrying one order before it gives up (as a shop's checkout page would).</summary>
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(45);

    private static readonly TimeSpan RetryBackoff = TimeSpan.FromMilliseconds(500);

    private readonly HttpClient _gateway;
    private readonly IReadOnlyList<string> _skus;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _clients = [];
    private volatile TaskCompletionSource _resumed = NewSignal(completed: true);
    private int _started;
    private int _created;
    private int _declined;
    private int _refused;
    private int _gaveUp;

    /// <param name="skus">One client per SKU; each of its orders takes one unit of it, so no SKU runs out.</param>
    public ChaosLoad(Topology application, IReadOnlyList<string> skus)
    {
        _gateway = application.CreateHttpClient("gateway");
        _gateway.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", application.ApiKey);
        _skus = skus;
    }

    /// <summary>Orders the clients have started (each with its own key), whatever became of them.</summary>
    public int Started => Volatile.Read(ref _started);

    /// <summary>Orders whose final answer the clients have: created, declined or refused.</summary>
    public int Answered => Volatile.Read(ref _created) + Volatile.Read(ref _declined) + Volatile.Read(ref _refused);

    public LoadCounts Counts => new(Started, Volatile.Read(ref _created), Volatile.Read(ref _declined), Volatile.Read(ref _refused), Volatile.Read(ref _gaveUp));

    public void Start()
    {
        foreach (var sku in _skus)
        {
            var userId = $"chaos-{Guid.NewGuid():N}";
            _clients.Add(Task.Run(() => RunClientAsync(userId, sku, _stopping.Token)));
        }
    }

    /// <summary>The clients start no new order until <see cref="Resume"/>; an order in progress is still retried to its end.</summary>
    public void Pause() => _resumed = NewSignal(completed: false);

    public void Resume() => _resumed.TrySetResult();

    /// <summary>Waits until the clients have the final answers of <paramref name="count"/> more orders.</summary>
    public Task WaitForAnswersAsync(int count, TimeSpan timeout, string what)
    {
        var target = Answered + count;
        return Eventually.WaitUntilAsync(() => Task.FromResult(Answered >= target), timeout, what);
    }

    private async Task RunClientAsync(string userId, string sku, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await _resumed.Task.WaitAsync(cancellationToken);
            var number = Interlocked.Increment(ref _started);
            var card = number % 5 == 0 ? TopologyOrders.DeclinedCard : TopologyOrders.TestCard;
            var outcome = await PlaceAsync(userId, sku, Guid.NewGuid().ToString(), card, cancellationToken);
            Count(outcome);
        }
    }

    private void Count(HttpStatusCode? outcome)
    {
        switch (outcome)
        {
            case HttpStatusCode.Created:
                Interlocked.Increment(ref _created);
                break;
            case HttpStatusCode.PaymentRequired:
                Interlocked.Increment(ref _declined);
                break;
            case null:
                Interlocked.Increment(ref _gaveUp);
                break;
            default:
                Interlocked.Increment(ref _refused);
                break;
        }
    }

    /// <returns>The final answer's status, or null when the client gave up.</returns>
    private async Task<HttpStatusCode?> PlaceAsync(string userId, string sku, string idempotencyKey, string card, CancellationToken cancellationToken)
    {
        var giveUpAt = DateTimeOffset.UtcNow + GiveUpAfter;
        while (DateTimeOffset.UtcNow < giveUpAt)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
                {
                    Content = JsonContent.Create(new
                    {
                        userId,
                        items = new[] { new { sku, quantity = 1 } },
                        payment = new { method = "card", cardNumber = card },
                    }),
                };
                request.Headers.Add("Idempotency-Key", idempotencyKey);
                using var response = await _gateway.SendAsync(request, cancellationToken);
                if (!IsWorthRetrying(response.StatusCode))
                {
                    return response.StatusCode;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // No answer (the Gateway's client timeout, a reset connection): the order may exist; the same key finds it.
            }

            await Task.Delay(RetryBackoff, cancellationToken);
        }

        return null;
    }

    private static bool IsWorthRetrying(HttpStatusCode status) => (int)status >= 500 || status == HttpStatusCode.TooManyRequests;

    private static TaskCompletionSource NewSignal(bool completed)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            signal.SetResult();
        }

        return signal;
    }

    /// <summary>Stops the clients: an order in progress is abandoned where it is, which the audit must cope with too.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_clients);
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
        _gateway.Dispose();
    }
}

internal sealed record LoadCounts(int Started, int Created, int Declined, int Refused, int GaveUp)
{
    public LoadCounts Since(LoadCounts earlier) =>
        new(Started - earlier.Started, Created - earlier.Created, Declined - earlier.Declined, Refused - earlier.Refused, GaveUp - earlier.GaveUp);
}
