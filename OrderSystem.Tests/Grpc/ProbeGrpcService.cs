using System.Collections.Concurrent;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace OrderSystem.Tests.Grpc;

/// <summary>The probe methods (probe.proto) as <see cref="GrpcTestServer"/> serves them.</summary>
public sealed class ProbeGrpcService(ServerObservations observations) : ProbeService.ProbeServiceBase
{
    public const string NonAsciiDetail = "stock for café: 100% gone ☕";

    private static readonly ConcurrentDictionary<string, int> FlakyCalls = new();

    public override Task<StringValue> Echo(StringValue request, ServerCallContext context)
    {
        observations.Record(request.Value, context);
        return Task.FromResult(request);
    }

    public override Task<Empty> Fail(StringValue request, ServerCallContext context)
    {
        observations.Record(request.Value, context);
        Exception exception = request.Value.Split(':')[0] switch
        {
            "argument" => new ArgumentException("quantity must be positive"),
            "not-found" => new KeyNotFoundException("order 42 does not exist"),
            "precondition" => new RpcException(new Status(StatusCode.FailedPrecondition, "insufficient stock")),
            "unicode" => new RpcException(new Status(StatusCode.FailedPrecondition, NonAsciiDetail)),
            "mapped" => new OutOfStockException("SKU-1 is out of stock"),
            "unavailable" => new HttpRequestException("Connection refused (db:5432)"),
            _ => new InvalidOperationException("Password=hunter2 rejected by the database"),
        };
        return Task.FromException<Empty>(exception);
    }

    public override Task<StringValue> Flaky(StringValue request, ServerCallContext context)
    {
        observations.Record(request.Value, context);
        var failures = int.Parse(request.Value.Split(':')[1], CultureInfo.InvariantCulture);
        var attempt = FlakyCalls.AddOrUpdate(request.Value, 1, (_, count) => count + 1);
        return attempt <= failures
            ? throw new RpcException(new Status(StatusCode.Unavailable, "warming up"))
            : Task.FromResult(new StringValue { Value = attempt.ToString(CultureInfo.InvariantCulture) });
    }

    public override async Task<Empty> WaitForCancellation(StringValue request, ServerCallContext context)
    {
        await observations.WaitForCancellationAsync(request.Value, context);
        return new Empty();
    }
}

/// <summary>A domain exception the test server's exception mapper turns into FAILED_PRECONDITION.</summary>
public sealed class OutOfStockException(string message) : Exception(message);
