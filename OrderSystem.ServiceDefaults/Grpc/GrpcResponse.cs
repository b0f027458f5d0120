namespace OrderSystem.ServiceDefaults.Grpc;

/// <summary>The response message of a successful unary call and the trailing metadata the server sent with it.</summary>
public sealed record GrpcResponse<TResponse>(TResponse Message, Metadata Trailers);
