using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Common.V1;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Otlp;

/// <summary>
/// Turns OTLP key/values into <see cref="StoredAttribute"/>s: primitives as invariant text, bytes as base64, arrays
/// and maps as JSON text (Jaeger's model has no nested values). Keys and short values come from the pool.
/// </summary>
public sealed class OtlpAttributeConverter(StringPool pool)
{
    public StoredAttribute[] Convert(RepeatedField<KeyValue> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (attributes.Count == 0)
        {
            return [];
        }

        var converted = new StoredAttribute[attributes.Count];
        for (var i = 0; i < converted.Length; i++)
        {
            var (text, type) = ToText(attributes[i].Value);
            converted[i] = new StoredAttribute(pool.Intern(attributes[i].Key), text, type);
        }

        return converted;
    }

    /// <summary>The value as stored text and the Jaeger type it is shown with.</summary>
    public (string Text, AttributeValueType Type) ToText(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => (pool.Intern(value.StringValue), AttributeValueType.String),
        AnyValue.ValueOneofCase.BoolValue => (value.BoolValue ? "true" : "false", AttributeValueType.Bool),
        AnyValue.ValueOneofCase.IntValue => (pool.Intern(value.IntValue.ToString(CultureInfo.InvariantCulture)), AttributeValueType.Int64),
        AnyValue.ValueOneofCase.DoubleValue => (pool.Intern(value.DoubleValue.ToString(CultureInfo.InvariantCulture)), AttributeValueType.Float64),
        AnyValue.ValueOneofCase.BytesValue => (value.BytesValue.ToBase64(), AttributeValueType.Binary),
        AnyValue.ValueOneofCase.ArrayValue or AnyValue.ValueOneofCase.KvlistValue => (ToJson(value), AttributeValueType.String),
        _ => (string.Empty, AttributeValueType.String),
    };

    private static string ToJson(AnyValue value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteJson(writer, value);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteJson(Utf8JsonWriter writer, AnyValue? value)
    {
        switch (value?.ValueCase)
        {
            case AnyValue.ValueOneofCase.StringValue:
                writer.WriteStringValue(value.StringValue);
                break;
            case AnyValue.ValueOneofCase.BoolValue:
                writer.WriteBooleanValue(value.BoolValue);
                break;
            case AnyValue.ValueOneofCase.IntValue:
                writer.WriteNumberValue(value.IntValue);
                break;
            case AnyValue.ValueOneofCase.DoubleValue when double.IsFinite(value.DoubleValue):
                writer.WriteNumberValue(value.DoubleValue);
                break;
            case AnyValue.ValueOneofCase.DoubleValue:
                writer.WriteStringValue(value.DoubleValue.ToString(CultureInfo.InvariantCulture));
                break;
            case AnyValue.ValueOneofCase.BytesValue:
                writer.WriteBase64StringValue(value.BytesValue.Span);
                break;
            case AnyValue.ValueOneofCase.ArrayValue:
                writer.WriteStartArray();
                foreach (var item in value.ArrayValue.Values)
                {
                    WriteJson(writer, item);
                }

                writer.WriteEndArray();
                break;
            case AnyValue.ValueOneofCase.KvlistValue:
                writer.WriteStartObject();
                foreach (var item in value.KvlistValue.Values)
                {
                    writer.WritePropertyName(item.Key);
                    WriteJson(writer, item.Value);
                }

                writer.WriteEndObject();
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
