using System.Text;
using OrderSystem.LoadGenerator.CommandLine;
using OrderSystem.LoadGenerator.Gateway;
using OrderSystem.LoadGenerator.Scenarios;

namespace OrderSystem.Tests.LoadGenerator;

/// <summary>The small parsers: durations, scenario mixes, traceresponse headers, product lists; and the catalogue's choices.</summary>
[Trait("Category", "Unit")]
public sealed class ScenarioAndProtocolTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("45", 45_000)]
    [InlineData(" 10S ", 10_000)]
    public void Parses_durations(string text, int milliseconds)
    {
        Assert.True(DurationText.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("fast")]
    [InlineData("5d")]
    [InlineData("-1s")]
    [InlineData("1e999s")]
    public void Rejects_what_is_not_a_duration(string text) => Assert.False(DurationText.TryParse(text, out _));

    [Fact]
    public void Picks_scenarios_in_proportion_to_their_weights()
    {
        var mix = ScenarioMix.TryParse("browse=50, order=30 ,read=20", out var error);
        Assert.Null(error);
        var random = new Random(3);

        var picks = Enumerable.Range(0, 20_000).Select(_ => mix!.Pick(random)).CountBy(kind => kind).ToDictionary();

        Assert.InRange(picks[ScenarioKind.Browse], 9_600, 10_400);
        Assert.InRange(picks[ScenarioKind.Order], 5_600, 6_400);
        Assert.InRange(picks[ScenarioKind.Read], 3_600, 4_400);
    }

    [Fact]
    public void Never_picks_a_scenario_that_was_not_named()
    {
        var mix = ScenarioMix.TryParse("order=1", out _)!;
        var random = new Random(4);

        Assert.All(Enumerable.Range(0, 1_000), _ => Assert.Equal(ScenarioKind.Order, mix.Pick(random)));
        Assert.Equal("order=1", mix.ToString());
    }

    [Fact]
    public void Plans_the_same_runs_from_the_same_seed()
    {
        var mix = ScenarioMix.TryParse(ScenarioMix.Default, out _)!;
        var first = new ScenarioPlanner(mix, 100, 11);
        var second = new ScenarioPlanner(mix, 100, 11);

        var plans = Enumerable.Range(0, 100).Select(_ => first.Next()).ToArray();

        Assert.Equal(plans, Enumerable.Range(0, 100).Select(_ => second.Next()));
        Assert.All(plans, plan => Assert.InRange(int.Parse(plan.UserId[2..], System.Globalization.CultureInfo.InvariantCulture), 1, 100));
        Assert.True(plans.Select(plan => plan.UserId).Distinct().Count() > 50);
    }

    [Theory]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "0af7651916cd43dd8448eb211c80319c")]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00", "0af7651916cd43dd8448eb211c80319c")]
    [InlineData("00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01", null)]
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01", null)]
    [InlineData("ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null)]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331", null)]
    [InlineData("00-0af7651916cd43dd-b7ad6b7169203331-01", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Reads_the_trace_id_of_a_traceresponse_header(string? header, string? traceId) =>
        Assert.Equal(traceId, TraceResponseHeader.ParseTraceId(header));

    [Fact]
    public void Reads_a_bare_array_of_products()
    {
        var page = ProductListPage.TryParse(Json("""[{"sku":"SKU-0001","name":"A","category":"c","unitPrice":1.5,"available":3},{"sku":"SKU-0002","available":0}]"""));

        Assert.NotNull(page);
        Assert.Equal([new Product("SKU-0001", 3), new Product("SKU-0002", 0)], page.Products);
        Assert.Null(page.NextPageToken);
    }

    [Theory]
    [InlineData("items")]
    [InlineData("products")]
    public void Reads_a_page_of_products_with_its_next_page_token(string arrayName)
    {
        var page = ProductListPage.TryParse(Json($$"""{"{{arrayName}}":[{"sku":"SKU-0003","available":9},{"name":"no sku"}],"nextPageToken":"abc"}"""));

        Assert.NotNull(page);
        Assert.Equal([new Product("SKU-0003", 9)], page.Products);
        Assert.Equal("abc", page.NextPageToken);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"title":"Unauthorized"}""")]
    [InlineData("42")]
    public void Does_not_take_other_bodies_for_a_product_list(string body) => Assert.Null(ProductListPage.TryParse(Json(body)));

    [Fact]
    public void Orders_only_what_is_in_stock_in_quantities_it_covers()
    {
        var catalogue = new Catalogue([new Product("A", 0), new Product("B", 1), new Product("C", 5), new Product("D", 0)]);
        var random = new Random(8);

        for (var i = 0; i < 500; i++)
        {
            var lines = catalogue.PickOrderLines(random);
            Assert.InRange(lines.Count, 1, 2);
            Assert.Equal(lines.Count, lines.Select(line => line.Sku).Distinct().Count());
            Assert.All(lines, line => Assert.Contains(line.Sku, new[] { "B", "C" }));
            Assert.All(lines.Where(line => line.Sku == "B"), line => Assert.Equal(1, line.Quantity));
            Assert.All(lines, line => Assert.InRange(line.Quantity, 1, Catalogue.MaxQuantityPerLine));
        }

        catalogue.Take([new OrderLine("B", 1), new OrderLine("C", 5)]);
        Assert.Equal(0, catalogue.InStockCount);
        // Nothing in stock: orders still go out, for one unit, and the Gateway's 409 is the measurement.
        Assert.All(catalogue.PickOrderLines(random), line => Assert.Equal(1, line.Quantity));

        catalogue.Update([new Product("D", 4)]);
        Assert.All(Enumerable.Range(0, 50), _ => Assert.Equal("D", Assert.Single(catalogue.PickOrderLines(random)).Sku));
    }

    private static ReadOnlyMemory<byte> Json(string text) => Encoding.UTF8.GetBytes(text);
}
