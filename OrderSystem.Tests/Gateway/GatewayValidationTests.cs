using System.Net;
using System.Text;

namespace OrderSystem.Tests.Gateway;

/// <summary>Invalid requests get 400 problem+json saying what is wrong, and Orders is never called.</summary>
[Trait("Category", "Integration")]
public sealed class GatewayValidationTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Card = """{"method":"card","cardNumber":"4242424242424242"}""";

    public static TheoryData<string, string, string> InvalidOrders => new()
    {
        { """{"items":[{"sku":"MUG-001","quantity":1}],"payment":""" + Card + "}", "userId", "userId is required." },
        { """{"userId":"   ","items":[{"sku":"MUG-001","quantity":1}],"payment":""" + Card + "}", "userId", "userId is required." },
        { "{\"userId\":\"" + new string('u', 65) + "\",\"items\":[{\"sku\":\"MUG-001\",\"quantity\":1}],\"payment\":" + Card + "}", "userId", "userId must be at most 64 characters." },
        { """{"userId":"v-1","payment":""" + Card + "}", "items", "items must contain at least one item." },
        { """{"userId":"v-2","items":[],"payment":""" + Card + "}", "items", "items must contain at least one item." },
        { """{"userId":"v-3","items":[{"sku":"A","quantity":1},{"sku":"B","quantity":1},{"sku":"C","quantity":1},{"sku":"D","quantity":1},{"sku":"E","quantity":1},{"sku":"F","quantity":1}],"payment":""" + Card + "}", "items", "items may contain at most 5 items; this order has 6." },
        { """{"userId":"v-4","items":[{"sku":"MUG-001","quantity":1},{"sku":"PEN-002","quantity":0}],"payment":""" + Card + "}", "items[1].quantity", "quantity must be between 1 and 1000; it is 0." },
        { """{"userId":"v-5","items":[{"sku":"MUG-001","quantity":-3}],"payment":""" + Card + "}", "items[0].quantity", "quantity must be between 1 and 1000; it is -3." },
        { """{"userId":"v-6","items":[{"sku":"MUG-001","quantity":1001}],"payment":""" + Card + "}", "items[0].quantity", "quantity must be between 1 and 1000; it is 1001." },
        { """{"userId":"v-7","items":[{"sku":"MUG-001"}],"payment":""" + Card + "}", "items[0].quantity", "quantity is required." },
        { """{"userId":"v-8","items":[{"sku":"MUG-001","quantity":1},{"sku":" ","quantity":1}],"payment":""" + Card + "}", "items[1].sku", "sku is required." },
        { """{"userId":"v-9","items":[null],"payment":""" + Card + "}", "items[0]", "each item must be an object with sku and quantity." },
        { """{"userId":"v-10","items":[{"sku":"MUG-001","quantity":1}]}""", "payment", "payment is required." },
        { """{"userId":"v-11","items":[{"sku":"MUG-001","quantity":1}],"payment":{"cardNumber":"4242424242424242"}}""", "payment.method", "payment.method is required, e.g. \"card\"." },
        { """{"userId":"v-12","items":[{"sku":"MUG-001","quantity":1}],"payment":{"method":"card"}}""", "payment.cardNumber", "payment.cardNumber is required when payment.method is \"card\"." },
        { """{"userId":"v-13","items":[{"sku":"MUG-001","quantity":1}],"payment":{"method":"card","cardNumber":"4242424242424242","amount":-0.01}}""", "payment.amount", "payment.amount must not be negative." },
    };

    [Theory]
    [MemberData(nameof(InvalidOrders))]
    public async Task An_invalid_order_gets_400_with_the_error_at_its_json_path(string body, string path, string message)
    {
        var callsBefore = gateway.Downstream.State.CreateOrderCalls;

        using var response = await PostOrderAsync(body);

        var errors = await GatewayResponses.ReadValidationErrorsAsync(response);
        Assert.Equal(message, Assert.Single(Assert.Single(errors, error => error.Key == path).Value));
        Assert.Equal(callsBefore, gateway.Downstream.State.CreateOrderCalls);
    }

    [Fact]
    public async Task Every_error_of_an_order_is_reported_at_once()
    {
        using var response = await PostOrderAsync("""{"items":[{"sku":"","quantity":0}],"payment":{}}""");

        var errors = await GatewayResponses.ReadValidationErrorsAsync(response);
        Assert.Equal(["items[0].quantity", "items[0].sku", "payment.method", "userId"], errors.Keys.Order());
    }

    [Theory]
    [InlineData("""{"userId":"j-1","items":[{"sku":"MUG-001","quantity":1}""", "not valid JSON")]
    [InlineData("""{"userId":"j-2","items":[{"sku":"MUG-001","quantity":"two"}],"payment":{"method":"card","cardNumber":"4242424242424242"}}""", "the value at $.items[0].quantity has the wrong type")]
    [InlineData("""{"userId":"j-3","items":{"sku":"MUG-001"},"payment":{"method":"card","cardNumber":"4242424242424242"}}""", "the value at $.items has the wrong type")]
    [InlineData("not json at all", "not valid JSON: 'not json at all' is an invalid JSON literal")]
    [InlineData("", "was not provided from body")]
    [InlineData("null", "was not provided from body")]
    public async Task A_body_that_cannot_be_read_gets_400_problem_saying_where(string body, string expectedInDetail)
    {
        var callsBefore = gateway.Downstream.State.CreateOrderCalls;

        using var response = await PostOrderAsync(body);

        var problem = await GatewayResponses.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(expectedInDetail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(callsBefore, gateway.Downstream.State.CreateOrderCalls);
    }

    [Fact]
    public async Task A_body_that_is_not_json_by_content_type_gets_415_problem()
    {
        using var client = gateway.CreateClient();
        using var content = new StringContent("userId=x", Encoding.UTF8, "application/x-www-form-urlencoded");

        using var response = await client.PostAsync("/api/orders", content, TestContext.Current.CancellationToken);

        var problem = await GatewayResponses.ReadProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("JSON", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(129, "Idempotency-Key must be 1 to 128 characters.")]
    [InlineData(-1, "Idempotency-Key may contain only printable ASCII characters.")]
    public async Task A_malformed_idempotency_key_gets_400(int length, string message)
    {
        var key = length < 0 ? "abc\tdef" : new string('k', length);
        var callsBefore = gateway.Downstream.State.CreateOrderCalls;

        using var response = await PostOrderAsync(
            """{"userId":"idem-bad","items":[{"sku":"MUG-001","quantity":1}],"payment":""" + Card + "}",
            request => request.Headers.TryAddWithoutValidation("Idempotency-Key", key));

        var errors = await GatewayResponses.ReadValidationErrorsAsync(response);
        Assert.Equal(message, Assert.Single(errors["Idempotency-Key"]));
        Assert.Equal(callsBefore, gateway.Downstream.State.CreateOrderCalls);
    }

    [Theory]
    [InlineData("/api/orders", "userId")]
    [InlineData("/api/orders?userId=someone&pageSize=0", "pageSize")]
    [InlineData("/api/orders?userId=someone&pageSize=101", "pageSize")]
    [InlineData("/api/products?pageSize=1000", "pageSize")]
    public async Task A_bad_list_query_gets_400_naming_the_parameter(string url, string parameter)
    {
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);

        var errors = await GatewayResponses.ReadValidationErrorsAsync(response);
        Assert.Contains(parameter, errors.Keys);
    }

    [Fact]
    public async Task A_query_value_of_the_wrong_type_gets_400_problem()
    {
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/api/products?pageSize=many", TestContext.Current.CancellationToken);

        var problem = await GatewayResponses.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("pageSize", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> PostOrderAsync(string body, Action<HttpRequestMessage>? configure = null)
    {
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        configure?.Invoke(request);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
