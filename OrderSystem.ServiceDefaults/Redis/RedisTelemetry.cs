using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrderSystem.ServiceDefaults.Redis;

/// <summary>
/// The client's ActivitySource and Meter (both <c>OrderSystem.Redis</c>, exported through the <c>OrderSystem.*</c>
/// wildcard) and the semantic-convention names it uses.
/// </summary>
public static class RedisTelemetry
{
    public const string ActivitySourceName = "OrderSystem.Redis";
    public const string MeterName = "OrderSystem.Redis";

    // The stable database conventions (v1.33), which Npgsql emits too, so Redis and PostgreSQL spans read alike.
    internal const string DbSystemName = "db.system.name";
    internal const string DbOperationName = "db.operation.name";
    internal const string DbQueryText = "db.query.text";
    internal const string DbNamespace = "db.namespace";
    internal const string DbResponseStatusCode = "db.response.status_code";
    internal const string DbOperationBatchSize = "db.operation.batch.size";
    internal const string ServerAddress = "server.address";
    internal const string ServerPort = "server.port";
    internal const string ErrorType = "error.type";

    internal static readonly ActivitySource Source = new(ActivitySourceName);

    private static readonly Meter Meter = new(MeterName);

    internal static readonly Histogram<double> OperationDuration = Meter.CreateHistogram(
        "db.client.operation.duration",
        unit: "s",
        description: "Duration of Redis client operations, from the call until its reply (or failure).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10] });
}
