using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using OrderSystem.Contracts.Inventory;
using OrderSystem.ServiceDefaults.Grpc;

namespace OrderSystem.Tests.Grpc;

/// <summary>Hand-made HTTP/2 requests against our server: the wire format, and malformed input answered with a status.</summary>
public sealed class GrpcWireTests(GrpcTestServer server) : IClassFixture<GrpcTestServer>, IDisposable
{
    private readonly HttpMessageInvoker _http = new(new SocketsHttpHandler());
    private readonly GrpcChannel _channel = new(server.Address);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_successful_call_has_the_grpc_wire_format()
    {
        var request = new CheckAvailabilityRequest { Items = { new StockLine { Sku = "SKU-1", Quantity = 1 } } };

        var response = await SendAsync(InventoryMethods.CheckAvailability.Path, Frame(request));

        Assert.Equal(HttpStatusCode.OK, response.HttpStatus);
        Assert.Equal("application/grpc", response.ContentType);
        Assert.Equal("0", response.Trailer("grpc-status"));
        Assert.Equal(0, response.Body[0]);
        Assert.Equal(response.Body.Length - 5, (int)BinaryPrimitives.ReadUInt32BigEndian(response.Body.AsSpan(1, 4)));
        Assert.True(CheckAvailabilityResponse.Parser.ParseFrom(response.Body.AsSpan(5)).AllAvailable);
    }

    [Theory]
    [InlineData("truncated-payload", StatusCode.Internal, "incomplete message")]
    [InlineData("truncated-prefix", StatusCode.Internal, "incomplete message")]
    [InlineData("empty", StatusCode.Internal, "no message")]
    [InlineData("invalid-flag", StatusCode.Internal, "invalid compressed flag 7")]
    [InlineData("compressed-without-encoding", StatusCode.Internal, "flagged compressed")]
    [InlineData("compressed-gzip", StatusCode.Unimplemented, "grpc-encoding 'gzip' is not supported")]
    [InlineData("too-large", StatusCode.ResourceExhausted, "exceeds the limit")]
    [InlineData("not-protobuf", StatusCode.Internal, "not a valid CheckAvailabilityRequest")]
    [InlineData("two-messages", StatusCode.Internal, "exactly one message")]
    public async Task Malformed_frames_get_a_status_and_the_server_keeps_serving(string frame, StatusCode expected, string detail)
    {
        byte[] body = frame switch
        {
            "truncated-payload" => [0, 0, 0, 0, 100, 1, 2, 3],
            "truncated-prefix" => [0, 0, 0],
            "empty" => [],
            "invalid-flag" => [7, 0, 0, 0, 0],
            "compressed-without-encoding" or "compressed-gzip" => [1, 0, 0, 0, 1, 0],
            "too-large" => [0, 1, 0, 0, 0], // declares 16 MiB and sends none of it
            "not-protobuf" => [0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF],
            "two-messages" => [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            _ => throw new ArgumentOutOfRangeException(nameof(frame)),
        };
        var headers = frame == "compressed-gzip" ? new Dictionary<string, string> { ["grpc-encoding"] = "gzip" } : null;

        var response = await SendAsync(InventoryMethods.CheckAvailability.Path, body, headers: headers);

        Assert.Equal(HttpStatusCode.OK, response.HttpStatus);
        Assert.Equal(((int)expected).ToString(System.Globalization.CultureInfo.InvariantCulture), response.Trailer("grpc-status"));
        Assert.Contains(detail, response.Trailer("grpc-message"), StringComparison.Ordinal);
        Assert.Equal("identity", response.Trailer("grpc-accept-encoding"));
        await new InventoryClient(_channel).CheckAvailabilityAsync(new CheckAvailabilityRequest(), cancellationToken: Cancellation);
    }

    [Fact]
    public async Task A_request_that_is_not_grpc_gets_415()
    {
        var response = await SendAsync(InventoryMethods.CheckAvailability.Path, "{}"u8.ToArray(), contentType: "application/json");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.HttpStatus);
        Assert.Equal("13", response.Trailer("grpc-status"));
        Assert.Contains("application/json", response.Trailer("grpc-message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Methods_other_than_post_get_405()
    {
        var response = await SendAsync(InventoryMethods.CheckAvailability.Path, body: null, method: HttpMethod.Get);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.HttpStatus);
    }

    [Fact]
    public async Task An_invalid_grpc_timeout_is_refused()
    {
        var response = await SendAsync(
            ProbeMethods.Echo.Path, Frame(new StringValue()), headers: new Dictionary<string, string> { ["grpc-timeout"] = "soon" });

        Assert.Equal("13", response.Trailer("grpc-status"));
        Assert.Equal("invalid grpc-timeout 'soon'.", response.Trailer("grpc-message"));
    }

    [Theory]
    [InlineData("1H", 3_600_000)]
    [InlineData("2M", 120_000)]
    [InlineData("3S", 3_000)]
    [InlineData("400m", 400)]
    [InlineData("500000u", 500)]
    [InlineData("60000000n", 60)]
    public async Task Every_grpc_timeout_unit_sets_the_handler_deadline(string header, int expectedMilliseconds)
    {
        var key = Guid.NewGuid().ToString();
        var before = DateTimeOffset.UtcNow;

        var response = await SendAsync(ProbeMethods.Echo.Path, Frame(new StringValue { Value = key }), headers: new Dictionary<string, string> { ["grpc-timeout"] = header });

        Assert.Equal("0", response.Trailer("grpc-status"));
        var deadline = Assert.IsType<DateTimeOffset>(Assert.Single(server.Observations.For(key)).Deadline);
        Assert.InRange(deadline, before.AddMilliseconds(expectedMilliseconds), DateTimeOffset.UtcNow.AddMilliseconds(expectedMilliseconds));
    }

    [Fact]
    public async Task The_server_enforces_grpc_timeout_on_its_own()
    {
        var key = Guid.NewGuid().ToString();

        // This client never cancels: the DEADLINE_EXCEEDED can only come from the server's timer.
        var response = await SendAsync(
            ProbeMethods.WaitForCancellation.Path, Frame(new StringValue { Value = key }), headers: new Dictionary<string, string> { ["grpc-timeout"] = "200m" });

        Assert.Equal("4", response.Trailer("grpc-status"));
        Assert.Contains(server.Observations.For(key), call => call.Cancelled);
    }

    [Fact]
    public async Task Metadata_is_exposed_without_the_protocol_headers()
    {
        var key = Guid.NewGuid().ToString();

        await SendAsync(
            ProbeMethods.Echo.Path,
            Frame(new StringValue { Value = key }),
            headers: new Dictionary<string, string> { ["grpc-timeout"] = "5S", ["x-user"] = "alice", ["x-id-bin"] = "AAEC" });

        var metadata = Assert.Single(server.Observations.For(key)).RequestHeaders;
        Assert.Equal("alice", metadata.GetValue("x-user"));
        Assert.Equal(new byte[] { 0, 1, 2 }, metadata.GetBinaryValue("x-id-bin"));
        Assert.DoesNotContain(metadata, entry => entry.Key is "content-type" or "te" or "grpc-timeout" || entry.Key.StartsWith(':'));
    }

    public void Dispose()
    {
        _http.Dispose();
        _channel.Dispose();
    }

    private static byte[] Frame(IMessage message)
    {
        var payload = message.ToByteArray();
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1, 4), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    private async Task<RawResponse> SendAsync(
        string path, byte[]? body, string contentType = "application/grpc", HttpMethod? method = null, Dictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Post, new Uri(server.Address, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _http.SendAsync(request, Cancellation);
        var responseBody = await response.Content.ReadAsByteArrayAsync(Cancellation);
        return new RawResponse(response, responseBody);
    }

    private sealed class RawResponse(HttpResponseMessage response, byte[] body)
    {
        public HttpStatusCode HttpStatus { get; } = response.StatusCode;

        public string? ContentType { get; } = response.Content.Headers.ContentType?.MediaType;

        public byte[] Body { get; } = body;

        private readonly Dictionary<string, string> _headersAndTrailers = response.Headers.Concat(response.TrailingHeaders)
            .ToDictionary(header => header.Key, header => Uri.UnescapeDataString(header.Value.First()), StringComparer.OrdinalIgnoreCase);

        /// <summary>A header or trailer: a Trailers-Only response puts the status in the headers.</summary>
        public string? Trailer(string name) => _headersAndTrailers.GetValueOrDefault(name);
    }
}
