using OrderSystem.LoadGenerator.Gateway;

namespace OrderSystem.LoadGenerator.Scenarios;

/// <summary>Looks at the catalogue; what it shows keeps the generator's idea of stock current.</summary>
public sealed class BrowseScenario(Catalogue catalogue) : IScenario
{
    public ScenarioKind Kind => ScenarioKind.Browse;

    public async Task RunAsync(ScenarioRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var response = await run.SendAsync(new GatewayRequest(GatewayRoutes.ListProducts, HttpMethod.Get, GatewayRoutes.ProductsPage(null)), cancellationToken).ConfigureAwait(false);
        if (!response.IsError && ProductListPage.TryParse(response.Body) is { } page)
        {
            catalogue.Update(page.Products);
        }
    }
}
