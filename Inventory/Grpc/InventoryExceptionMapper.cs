using Grpc.Core;
using Npgsql;
using OrderSystem.Inventory.Model;

namespace OrderSystem.Inventory.Grpc;

/// <summary>The statuses of the service's own failures (see ExceptionStatusInterceptor); null for the defaults.</summary>
internal static class InventoryExceptionMapper
{
    public static RpcException? Map(Exception exception) => exception switch
    {
        InsufficientStockException => new RpcException(new Status(StatusCode.FailedPrecondition, exception.Message)),
        UnknownSkuException => new RpcException(new Status(StatusCode.NotFound, exception.Message)),
        // PostgreSQL rolled the transaction back to resolve a conflict with another one: nothing was applied, and the
        // same call can succeed when retried (Deduct and Release are idempotent per order).
        // EF Core hands it on as is from a query, wrapped from SaveChanges (DbUpdateException).
        _ when (exception as PostgresException ?? exception.InnerException as PostgresException) is
            { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure } postgres =>
            new RpcException(new Status(StatusCode.Aborted, $"The stock transaction was aborted by a conflict with a concurrent one ({postgres.SqlState}); retry the call.", exception)),
        _ => null,
    };
}
