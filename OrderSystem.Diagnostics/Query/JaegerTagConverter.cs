using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderSystem.Diagnostics.Query;

/// <summary>Writes <c>{"key", "type", "value"}</c> with the value as the JSON kind its Jaeger type names.</summary>
public sealed class JaegerTagConverter : JsonConverter<JaegerTag>
{
    public override JaegerTag Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Jaeger tags are only written.");

    public override void Write(Utf8JsonWriter writer, JaegerTag value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteString("key", value.Key);
        writer.WriteString("type", value.Type);
        writer.WritePropertyName("value");
        switch (value.Type)
        {
            case JaegerTagTypes.Bool when bool.TryParse(value.Value, out var flag):
                writer.WriteBooleanValue(flag);
                break;
            case JaegerTagTypes.Int64 when long.TryParse(value.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer):
                writer.WriteNumberValue(integer);
                break;
            case JaegerTagTypes.Float64 when double.TryParse(value.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number):
                writer.WriteNumberValue(number);
                break;
            default:
                writer.WriteStringValue(value.Value);
                break;
        }

        writer.WriteEndObject();
    }
}

public static class JaegerTagTypes
{
    public const string String = "string";
    public const string Bool = "bool";
    public const string Int64 = "int64";
    public const string Float64 = "float64";
    public const string Binary = "binary";
}
