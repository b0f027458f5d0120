namespace OrderSystem.LoadGenerator.Gateway;

public sealed record OrderLine(string Sku, int Quantity);

/// <summary>
/// The products orders are placed for: fetched once before the run, then kept current from what browsing returns
/// and what confirmed orders took, so orders ask for SKUs that are in stock.
/// </summary>
public sealed class Catalogue
{
    public const int MaxLinesPerOrder = 3;
    public const int MaxQuantityPerLine = 2;

    // Bounds the start-up fetch against a Gateway that keeps handing out page tokens.
    private const int MaxPages = 100;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _available = new(StringComparer.Ordinal);
    private readonly List<string> _skus = [];
    private readonly IReadOnlySet<string>? _only;

    /// <param name="only">The only SKUs the catalogue holds (a hot set); null for every product listed.</param>
    public Catalogue(IEnumerable<Product> products, IReadOnlySet<string>? only = null)
    {
        _only = only;
        Update(products);
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _skus.Count;
            }
        }
    }

    public int InStockCount
    {
        get
        {
            lock (_lock)
            {
                return _available.Values.Count(units => units > 0);
            }
        }
    }

    /// <summary>Every page of <c>GET /api/products</c>; a failure means the run cannot happen.</summary>
    public static async Task<Catalogue> LoadAsync(GatewayClient gateway, IReadOnlySet<string>? only, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var products = new List<Product>();
        var seenTokens = new HashSet<string>(StringComparer.Ordinal);
        string? pageToken = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var request = new GatewayRequest(GatewayRoutes.ListProducts, HttpMethod.Get, GatewayRoutes.ProductsPage(pageToken));
            var response = await gateway.SendAsync(request, timeProvider.GetTimestamp(), cancellationToken).ConfigureAwait(false);
            var listPage = response.IsError ? null : ProductListPage.TryParse(response.Body);
            if (listPage is null)
            {
                throw new LoadRunException(DescribeFailure(gateway.BaseAddress, response));
            }

            products.AddRange(listPage.Products);
            if (listPage.NextPageToken is not { } next || !seenTokens.Add(next))
            {
                break;
            }

            pageToken = next;
        }

        return new Catalogue(products, only);
    }

    /// <summary>
    /// One to three distinct in-stock SKUs with quantities they can cover. Once nothing is in stock, any SKUs with
    /// quantity one: the orders still go out and the Gateway's 409s are what the run measures.
    /// </summary>
    public IReadOnlyList<OrderLine> PickOrderLines(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        lock (_lock)
        {
            var inStock = _skus.Where(sku => _available[sku] > 0).ToArray();
            var candidates = inStock.Length > 0 ? inStock : [.. _skus];
            var lineCount = Math.Min(candidates.Length, random.Next(1, MaxLinesPerOrder + 1));
            var lines = new OrderLine[lineCount];
            for (var i = 0; i < lineCount; i++)
            {
                // A partial Fisher-Yates shuffle: the first lineCount entries become a random distinct choice.
                var pick = random.Next(i, candidates.Length);
                (candidates[i], candidates[pick]) = (candidates[pick], candidates[i]);
                var quantity = random.Next(1, Math.Clamp(_available[candidates[i]], 1, MaxQuantityPerLine) + 1);
                lines[i] = new OrderLine(candidates[i], quantity);
            }

            return lines;
        }
    }

    /// <summary>Takes the current availability of <paramref name="products"/>; new SKUs join the catalogue.</summary>
    public void Update(IEnumerable<Product> products)
    {
        ArgumentNullException.ThrowIfNull(products);
        lock (_lock)
        {
            foreach (var product in products.Where(product => _only is null || _only.Contains(product.Sku)))
            {
                if (!_available.ContainsKey(product.Sku))
                {
                    _skus.Add(product.Sku);
                }

                _available[product.Sku] = product.Available;
            }
        }
    }

    /// <summary>Counts a confirmed order's units as gone until browsing says otherwise.</summary>
    public void Take(IEnumerable<OrderLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        lock (_lock)
        {
            foreach (var line in lines)
            {
                if (_available.TryGetValue(line.Sku, out var units))
                {
                    _available[line.Sku] = Math.Max(0, units - line.Quantity);
                }
            }
        }
    }

    private static string DescribeFailure(Uri gateway, GatewayResponse response) => response switch
    {
        { Failure: TransportFailure.Timeout } => $"the Gateway at {gateway} did not answer GET /api/products in time; is the system up (./run.sh)?",
        { Failure: TransportFailure.Connection } => $"cannot connect to the Gateway at {gateway}; is the system up (./run.sh)?",
        { StatusCode: 401 or 403 } => $"the Gateway at {gateway} refused the API key ({response.StatusCode}); check apiKey in endpoints.json or --api-key",
        { IsError: true } => $"the Gateway at {gateway} answered GET /api/products with {response.StatusCode}; is every service healthy?",
        _ => $"the Gateway at {gateway} answered GET /api/products with a body that is not a product list",
    };
}
