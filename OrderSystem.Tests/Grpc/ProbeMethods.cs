using Google.Protobuf.WellKnownTypes;
using OrderSystem.ServiceDefaults.Grpc;

namespace OrderSystem.Tests.Grpc;

/// <summary>Test-only methods built from well-known message types, to drive the transport's edge cases.</summary>
internal static class ProbeMethods
{
    public const string ServiceName = "ordersystem.test.v1.ProbeService";

    /// <summary>Echoes the value; copies x-* request metadata to the trailers; records what the server saw.</summary>
    public static readonly GrpcMethod<StringValue, StringValue> Echo = new(ServiceName, nameof(Echo), StringValue.Parser, StringValue.Parser);

    /// <summary>Throws the exception the value names (see GrpcTestServer).</summary>
    public static readonly GrpcMethod<StringValue, Empty> Fail = new(ServiceName, nameof(Fail), StringValue.Parser, Empty.Parser);

    /// <summary>"key:N" answers UNAVAILABLE to the first N calls with that key, then the attempt number.</summary>
    public static readonly GrpcMethod<StringValue, StringValue> Flaky = new(ServiceName, nameof(Flaky), StringValue.Parser, StringValue.Parser);

    /// <summary>Waits until the call's token is cancelled and records it.</summary>
    public static readonly GrpcMethod<StringValue, Empty> WaitForCancellation =
        new(ServiceName, nameof(WaitForCancellation), StringValue.Parser, Empty.Parser);

    /// <summary>Raw endpoints that break the protocol the way a misbehaving server or proxy would.</summary>
    public static readonly GrpcMethod<StringValue, StringValue> NoStatusTrailer = new(ServiceName, nameof(NoStatusTrailer), StringValue.Parser, StringValue.Parser);
    public static readonly GrpcMethod<StringValue, StringValue> Http503 = new(ServiceName, nameof(Http503), StringValue.Parser, StringValue.Parser);
    public static readonly GrpcMethod<StringValue, StringValue> PlainText = new(ServiceName, nameof(PlainText), StringValue.Parser, StringValue.Parser);

    /// <summary>Not mapped on the server.</summary>
    public static readonly GrpcMethod<StringValue, StringValue> Missing = new(ServiceName, nameof(Missing), StringValue.Parser, StringValue.Parser);
}
