using System.Text.Json.Serialization;
using OrderSystem.Diagnostics.Diagnosis;

namespace OrderSystem.Diagnostics.Query;

/// <summary>JSON of the diagnosis endpoints; optional evidence fields are left out when they do not apply.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(JaegerResponse<TraceDiagnosis>))]
[JsonSerializable(typeof(JaegerResponse<TraceSetDiagnosis>))]
[JsonSerializable(typeof(JaegerResponse<WindowComparisonResult>))]
public sealed partial class DiagnosisJsonContext : JsonSerializerContext;
