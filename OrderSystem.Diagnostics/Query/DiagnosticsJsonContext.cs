using System.Text.Json.Serialization;

namespace OrderSystem.Diagnostics.Query;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(JaegerResponse<IReadOnlyList<JaegerTrace>>))]
[JsonSerializable(typeof(JaegerResponse<IReadOnlyList<string>>))]
[JsonSerializable(typeof(JaegerResponse<IReadOnlyList<JaegerOperation>>))]
[JsonSerializable(typeof(JaegerResponse<IReadOnlyList<JaegerDependency>>))]
[JsonSerializable(typeof(JaegerResponse<IReadOnlyList<TraceSummary>>))]
[JsonSerializable(typeof(JaegerResponse<IReadOnlyList<LogView>>))]
[JsonSerializable(typeof(JaegerResponse<IReadOnlyList<MetricView>>))]
[JsonSerializable(typeof(JaegerResponse<IReadOnlyList<MetricSeriesView>>))]
[JsonSerializable(typeof(JaegerResponse<object>))]
[JsonSerializable(typeof(DiagnosticsStatistics))]
[JsonSerializable(typeof(UiSettings))]
public sealed partial class DiagnosticsJsonContext : JsonSerializerContext;
