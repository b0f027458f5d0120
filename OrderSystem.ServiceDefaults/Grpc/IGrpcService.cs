namespace OrderSystem.ServiceDefaults.Grpc;

/// <summary>
/// A service base class (OrderSystem.Contracts has one per .proto service) that binds its abstract methods to
/// their <see cref="GrpcMethod"/>s; MapGrpcService maps a concrete subclass through it.
/// </summary>
public interface IGrpcService
{
    static abstract void BindService(GrpcServiceBinder binder);
}
