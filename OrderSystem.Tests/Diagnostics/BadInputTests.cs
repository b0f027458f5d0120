using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Trace.V1;
using OrderSystem.Diagnostics.Otlp;

namespace OrderSystem.Tests.Diagnostics;

/// <summary>Bad requests get a clear 4xx, are counted, and leave the receiver working.</summary>
[Trait("Category", "Integration")]
public sealed class BadInputTests : IAsyncLifetime
{
    private const int MaxRequestBytes = 64 * 1024;
    private DiagnosticsServer _dashboard = null!;

    public async ValueTask InitializeAsync() =>
        _dashboard = await DiagnosticsServer.StartAsync(("Diagnostics:MaxRequestBytes", MaxRequestBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Malformed_protobuf_is_rejected_with_400_and_a_status_body()
    {
        using var response = await PostAsync("v1/traces", [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01], OtlpContentTypes.Protobuf);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var status = OrderSystem.Diagnostics.Otlp.Rpc.Status.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync(Cancellation));
        Assert.Contains("ExportTraceServiceRequest", status.Message, StringComparison.Ordinal);
        await AssertCountedAsync(s => s.MalformedRequests, 1);
        await AssertStillReceivesAsync();
    }

    [Fact]
    public async Task Wrong_content_type_is_rejected_with_415()
    {
        using var response = await PostAsync("v1/traces", Encoding.UTF8.GetBytes("hello"), "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        await AssertCountedAsync(s => s.UnsupportedMediaTypeRequests, 1);
    }

    [Fact]
    public async Task Unknown_content_encoding_is_rejected_with_415()
    {
        using var content = new ByteArrayContent(OtlpRequests.OneSpan("enc").ToByteArray());
        content.Headers.ContentType = new MediaTypeHeaderValue(OtlpContentTypes.Protobuf);
        content.Headers.ContentEncoding.Add("br");
        using var response = await _dashboard.OtlpClient.PostAsync("v1/traces", content, Cancellation);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Payload_over_the_limit_is_rejected_with_413_with_or_without_content_length()
    {
        var huge = HugeRequest().ToByteArray();
        Assert.True(huge.Length > MaxRequestBytes);

        using var declared = await PostAsync("v1/traces", huge, OtlpContentTypes.Protobuf);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);

        using var chunked = new StreamContent(new UnseekableStream(huge));
        chunked.Headers.ContentType = new MediaTypeHeaderValue(OtlpContentTypes.Protobuf);
        using var streamed = await _dashboard.OtlpClient.PostAsync("v1/traces", chunked, Cancellation);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);

        await AssertCountedAsync(s => s.OversizedRequests, 2);
        await AssertStillReceivesAsync();
    }

    [Fact]
    public async Task Gzip_bomb_stops_at_the_limit_with_413()
    {
        var bomb = Gzip(new byte[64 * 1024 * 1024]);
        Assert.True(bomb.Length < MaxRequestBytes);

        using var response = await PostAsync("v1/traces", bomb, OtlpContentTypes.Protobuf, gzip: true);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertCountedAsync(s => s.OversizedRequests, 1);
    }

    [Fact]
    public async Task Invalid_gzip_is_rejected_with_400()
    {
        using var response = await PostAsync("v1/traces", Encoding.UTF8.GetBytes("this is not gzip at all"), OtlpContentTypes.Protobuf, gzip: true);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertCountedAsync(s => s.MalformedRequests, 1);
    }

    [Fact]
    public async Task Gzipped_protobuf_is_accepted()
    {
        using var response = await PostAsync("v1/traces", Gzip(OtlpRequests.OneSpan("gzip-ok").ToByteArray()), OtlpContentTypes.Protobuf, gzip: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(ExportTraceServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync(Cancellation)).PartialSuccess);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"not-hex\",\"spanId\":\"00f067aa0ba902b7\"}]}]}]}")]
    [InlineData("{\"resourceSpans\":\"wrong type\"}")]
    public async Task Malformed_json_is_rejected_with_400(string body)
    {
        using var response = await PostAsync("v1/traces", Encoding.UTF8.GetBytes(body), OtlpContentTypes.Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(OtlpContentTypes.Json, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Otlp_json_with_hex_ids_is_accepted_and_invalid_spans_are_a_partial_success()
    {
        const string Body = """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"json-svc"}}]},
              "scopeSpans":[{"scope":{"name":"manual"},"spans":[
                {"traceId":"4BF92F3577B34DA6A3CE929D0E0E4736","spanId":"00F067AA0BA902B7","name":"json-op","kind":2,
                 "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000250000000","status":{"code":2}},
                {"traceId":"","spanId":"00F067AA0BA902B8","name":"no-trace-id"}]}]}]}
            """;
        using var response = await PostAsync("v1/traces", Encoding.UTF8.GetBytes(Body), OtlpContentTypes.Json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal("1", answer.RootElement.GetProperty("partialSuccess").GetProperty("rejectedSpans").GetString());

        using var trace = JsonDocument.Parse(await _dashboard.Client.GetStringAsync("api/traces/4bf92f3577b34da6a3ce929d0e0e4736", Cancellation));
        var span = Assert.Single(trace.RootElement.GetProperty("data")[0].GetProperty("spans").EnumerateArray());
        Assert.Equal("00f067aa0ba902b7", span.GetProperty("spanID").GetString());
        Assert.Equal(250_000, span.GetProperty("duration").GetInt64());
    }

    [Fact]
    public async Task Unknown_trace_id_is_404_in_jaeger_error_shape_and_a_bad_one_400()
    {
        using var missing = await _dashboard.Client.GetAsync("api/traces/0af7651916cd43dd8448eb211c80319c", Cancellation);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var body = JsonDocument.Parse(await missing.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("data").ValueKind);
        var error = Assert.Single(body.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal(404, error.GetProperty("code").GetInt32());
        Assert.Equal("trace not found", error.GetProperty("msg").GetString());

        using var invalid = await _dashboard.Client.GetAsync("api/traces/not-a-trace-id", Cancellation);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }

    [Theory]
    [InlineData("api/traces?minDuration=fast")]
    [InlineData("api/traces?tags=%7Bbroken")]
    [InlineData("api/traces?start=yesterday")]
    [InlineData("api/logs?level=loud")]
    public async Task Bad_query_parameters_are_400_with_the_reason(string url)
    {
        using var response = await _dashboard.Client.GetAsync(url, Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("errors")[0].GetProperty("msg").GetString()));
    }

    private async Task<HttpResponseMessage> PostAsync(string path, byte[] body, string contentType, bool gzip = false)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (gzip)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }

        return await _dashboard.OtlpClient.PostAsync(path, content, Cancellation);
    }

    private async Task AssertCountedAsync(Func<ReceiverStatisticsSnapshot, long> counter, long expected)
    {
        using var stats = JsonDocument.Parse(await _dashboard.Client.GetStringAsync("api/stats", Cancellation));
        var receiver = stats.RootElement.GetProperty("receiver").Deserialize<ReceiverStatisticsSnapshot>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal(expected, counter(receiver));
    }

    private async Task AssertStillReceivesAsync()
    {
        using var response = await PostAsync("v1/traces", OtlpRequests.OneSpan("after-bad-input").ToByteArray(), OtlpContentTypes.Protobuf);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static ExportTraceServiceRequest HugeRequest()
    {
        var request = OtlpRequests.OneSpan("huge");
        request.ResourceSpans[0].ScopeSpans[0].Spans[0].Attributes.Add(
            new KeyValue { Key = "payload", Value = new AnyValue { StringValue = new string('x', MaxRequestBytes * 2) } });
        return request;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>Hides the length so HttpClient sends the body chunked, without Content-Length.</summary>
    private sealed class UnseekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
