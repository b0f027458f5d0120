using Polly;

namespace OrderSystem.ServiceDefaults.Grpc;

public sealed class GrpcChannelOptions
{
    /// <summary>Larger response messages fail the call with RESOURCE_EXHAUSTED.</summary>
    public int MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxMessageSize;

    /// <summary>Runs each call's attempts; <see cref="GrpcRetryPipeline"/> retries UNAVAILABLE. No retries by default.</summary>
    public ResiliencePipeline RetryPipeline { get; set; } = ResiliencePipeline.Empty;

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
