namespace OrderSystem.ServiceDefaults.Grpc;

/// <summary>
/// Per-call settings. A handler that calls another service passes its own <see cref="ServerCallContext.Deadline"/>
/// so the whole chain gives up together.
/// </summary>
/// <param name="Headers">Request metadata.</param>
/// <param name="Deadline">When the call fails with DEADLINE_EXCEEDED; sent to the server as <c>grpc-timeout</c>.</param>
public readonly record struct CallOptions(Metadata? Headers = null, DateTimeOffset? Deadline = null);
