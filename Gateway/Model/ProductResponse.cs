namespace OrderSystem.Gateway.Model;

/// <param name="Available">Units in stock now (stock minus what confirmed orders took).</param>
public sealed record ProductResponse(string Sku, string Name, string Category, decimal UnitPrice, int Available);

/// <param name="NextPageToken">Pass as <c>pageToken</c> for the next page; null on the last page.</param>
public sealed record ProductListResponse(IReadOnlyList<ProductResponse> Products, string? NextPageToken);
