using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using OrderSystem.Tests.Gateway;

namespace OrderSystem.Tests.Properties;

/// <summary>
/// Generated requests to the Gateway's API (in process, in front of the scripted Orders and Inventory): bodies valid
/// and not (wrong types, missing and extra fields, huge numbers, deep nesting, any characters, truncated, random bytes,
/// empty), any content type, idempotency key and authorization. Whatever comes in, the answer is never a 5xx, every
/// 4xx is problem+json with its status, and an order that is accepted is the order that was sent, stored whole.
/// </summary>
[Trait("Category", "Integration")]
public sealed class GatewayApiProperties(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private static readonly Gen<string> Quantity = Gen.Frequency(
        (6, Gen.Int[1, 1000].Select(value => value.ToString(CultureInfo.InvariantCulture))),
        (1, JsonGen.Number));

    private static readonly Gen<string> Item = JsonGen.Object(
        JsonGen.Field("sku", Gen.String[Gen.Char.AlphaNumeric, 1, 12].Select(sku => JsonGen.Quote("PROP-" + sku))),
        JsonGen.Field("quantity", Quantity));

    private static readonly Gen<string> Items = Gen.Frequency(
        (8, Item.Array[1, GatewayFixture.MaxItemsPerOrder + 1].Select(items => "[" + string.Join(",", items) + "]")),
        (1, Gen.Const("[]")),
        (1, JsonGen.Value));

    private static readonly Gen<string> Payment = JsonGen.Object(
        JsonGen.Field("method", Gen.Frequency((6, Gen.Const("\"card\"")), (1, JsonGen.String))),
        JsonGen.Field("cardNumber", Gen.Frequency((6, Gen.Const("\"4242424242424242\"")), (1, JsonGen.String))),
        JsonGen.Field("amount", Gen.Frequency((4, Gen.Const("null")), (1, JsonGen.Number))));

    private static readonly Gen<string> Order = JsonGen.Object(
        JsonGen.Field("userId", Gen.String[Gen.Char.AlphaNumeric, 1, 20].Select(user => JsonGen.Quote("prop-" + user))),
        JsonGen.Field("items", Items),
        JsonGen.Field("payment", Payment));

    /// <summary>The body's bytes: mostly an order (as generated), else truncated, nested too deep, random, empty or another value.</summary>
    private static readonly Gen<byte[]> Body = Gen.Frequency(
        (10, Order.Select(Encoding.UTF8.GetBytes)),
        (1, Gen.Select(Order, Gen.Double[0, 1], static (json, cut) => Encoding.UTF8.GetBytes(json[..(int)(json.Length * cut)]))),
        (1, JsonGen.DeepNesting.Select(Encoding.UTF8.GetBytes)),
        (1, JsonGen.Value.Select(Encoding.UTF8.GetBytes)),
        (1, Gen.Byte.Array[0, 300]),
        (1, Gen.Const<byte[]>([])));

    private static readonly Gen<string> HeaderText = Gen.String[Gen.Char[' ', '\u00ff'], 0, 40];

    private static readonly Gen<string?> ContentType = Gen.Frequency(
        (8, Gen.Const<string?>("application/json")),
        (1, Gen.OneOf<string?>("application/json; charset=utf-8", "application/json; charset=utf-16", "text/plain", "application/xml", "application/problem+json", null)),
        (1, HeaderText.Select(text => (string?)text)));

    private static readonly Gen<string?> IdempotencyKey = Gen.Frequency(
        (4, Gen.Const((string?)null)),
        (3, Gen.String[Gen.Char.AlphaNumeric, 1, 40].Select(key => (string?)("prop-" + key))),
        (1, Gen.Int[129, 400].Select(length => (string?)new string('k', length))),
        (1, HeaderText.Select(text => (string?)text)));

    private static readonly Gen<string?> Authorization = Gen.Frequency(
        (10, Gen.Const<string?>("Bearer " + GatewayFixture.PrimaryKey)),
        (1, Gen.OneOf<string?>(null, "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer not-a-key", "bearer " + GatewayFixture.PrimaryKey)),
        (1, HeaderText.Select(text => (string?)text)));

    private static readonly Gen<PostedOrder> Request = Gen.Select(Body, ContentType, IdempotencyKey, Authorization,
        static (body, contentType, key, authorization) => new PostedOrder(body, contentType, key, authorization));

    private static readonly Gen<string> PathSegment = Gen.Frequency(
        (2, Gen.Const(Guid.NewGuid().ToString())),
        (2, Gen.String[Gen.Char, 0, 60]),
        (1, Gen.Int[200, 3000].Select(length => new string('9', length))));

    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Any_order_request_gets_no_5xx_a_problem_for_every_4xx_and_a_whole_order_when_accepted()
    {
        await Request.SampleAsync(
            async request =>
            {
                using var client = gateway.CreateClient(apiKey: null);
                using var response = await client.SendAsync(request.ToMessage(), CancellationToken);
                var body = await response.Content.ReadAsStringAsync(CancellationToken);
                AssertAnswer(response, body);
                if (response.IsSuccessStatusCode)
                {
                    AssertWholeOrder(request, body);
                }
            },
            iter: 400,
            threads: 2,
            print: request => request.ToString());
    }

    [Fact]
    public async Task Any_order_lookup_or_listing_gets_no_5xx_and_a_problem_for_every_4xx()
    {
        var lookups = Gen.OneOf(
            PathSegment.Select(id => "/api/orders/" + Uri.EscapeDataString(id)),
            PathSegment.Select(id => "/api/orders/" + Uri.EscapeDataString(id) + "/notifications"),
            Gen.Select(PathSegment, Gen.Frequency((2, JsonGen.Number), (1, PathSegment)), Gen.Bool,
                static (user, size, withSize) => "/api/orders?userId=" + Uri.EscapeDataString(user) + (withSize ? "&pageSize=" + Uri.EscapeDataString(size) : string.Empty)),
            Gen.Select(Gen.Frequency((2, JsonGen.Number), (1, PathSegment)), PathSegment,
                static (size, token) => "/api/products?pageSize=" + Uri.EscapeDataString(size) + "&pageToken=" + Uri.EscapeDataString(token)));

        await lookups.SampleAsync(
            async url =>
            {
                using var client = gateway.CreateClient();
                using var response = await client.GetAsync(url, CancellationToken);
                AssertAnswer(response, await response.Content.ReadAsStringAsync(CancellationToken));
            },
            iter: 300,
            threads: 2);
    }

    private static void AssertAnswer(HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        Assert.True(status < 500, $"a {status} answer: {body}");
        if (status >= 400)
        {
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"a {status} without problem+json: '{body}'");
            using var problem = JsonDocument.Parse(body);
            Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        }
    }

    /// <summary>What was sent, line for line, is what the answer holds and what the (scripted) Orders stored.</summary>
    private void AssertWholeOrder(PostedOrder request, string body)
    {
        using var sent = JsonDocument.Parse(request.Body);
        using var answer = JsonDocument.Parse(body);
        var sentLines = Lines(sent.RootElement.GetProperty("items"));
        Assert.Equal(sentLines, Lines(answer.RootElement.GetProperty("items")));
        var id = answer.RootElement.GetProperty("id").GetString()!;
        var stored = gateway.Downstream.State.Find(id);
        Assert.NotNull(stored);
        Assert.Equal(sentLines, stored.Items.Select(item => $"{item.Sku}x{item.Quantity}").Order(StringComparer.Ordinal));
        Assert.Equal(sent.RootElement.GetProperty("userId").GetString()!.Trim(), stored.UserId);
    }

    private static IEnumerable<string> Lines(JsonElement items) =>
        items.EnumerateArray().Select(item => $"{item.GetProperty("sku").GetString()!.Trim()}x{SentQuantity(item.GetProperty("quantity"))}").Order(StringComparer.Ordinal).ToList();

    /// <summary>A quantity as the Gateway reads it: ASP.NET Core's web JSON defaults also take a number written as a string ("3").</summary>
    private static int SentQuantity(JsonElement quantity) => quantity.ValueKind == JsonValueKind.String
        ? int.Parse(quantity.GetString()!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)
        : quantity.GetInt32();

    private sealed record PostedOrder(byte[] Body, string? ContentType, string? IdempotencyKey, string? Authorization)
    {
        public HttpRequestMessage ToMessage()
        {
            var message = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = new ByteArrayContent(Body) };
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }

            if (IdempotencyKey is not null)
            {
                message.Headers.TryAddWithoutValidation("Idempotency-Key", IdempotencyKey);
            }

            if (Authorization is not null)
            {
                message.Headers.TryAddWithoutValidation("Authorization", Authorization);
            }

            return message;
        }

        public override string ToString()
        {
            var text = Encoding.UTF8.GetString(Body);
            return $"POST /api/orders Content-Type: {ContentType ?? "(none)"}, Idempotency-Key: {IdempotencyKey ?? "(none)"}, Authorization: {Authorization ?? "(none)"}, " +
                $"{Body.Length} bytes: {(text.Length > 600 ? text[..600] + "…" : text)}";
        }
    }
}
