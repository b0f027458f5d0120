using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace OrderSystem.Diagnostics.Otlp;

/// <summary>
/// OTLP/JSON: the protobuf JSON mapping except that trace and span ids are hex, not base64. The ids are rewritten
/// to base64 before Google.Protobuf's parser reads the message.
/// </summary>
public static class OtlpJsonCodec
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));
    private static readonly HashSet<string> IdFields = new(StringComparer.Ordinal)
    {
        "traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id",
    };

    /// <exception cref="FormatException">The body is not valid OTLP/JSON.</exception>
    public static TMessage Parse<TMessage>(ReadOnlySpan<byte> utf8Json) where TMessage : IMessage<TMessage>, new()
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(utf8Json);
        }
        catch (JsonException exception)
        {
            throw new FormatException($"The body is not JSON: {exception.Message}", exception);
        }

        if (root is not JsonObject)
        {
            throw new FormatException("The body must be a JSON object.");
        }

        RewriteIds(root);
        try
        {
            return Parser.Parse<TMessage>(root.ToJsonString());
        }
        catch (Exception exception) when (exception is InvalidProtocolBufferException or InvalidJsonException)
        {
            throw new FormatException(exception.Message, exception);
        }
    }

    public static string Format(IMessage message) => JsonFormatter.Default.Format(message);

    private static void RewriteIds(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (IdFields.Contains(name) && value is JsonValue id && id.TryGetValue<string>(out var hex))
                    {
                        obj[name] = Convert.ToBase64String(Convert.FromHexString(hex));
                    }
                    else if (value is not null)
                    {
                        RewriteIds(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        RewriteIds(item);
                    }
                }

                break;
        }
    }
}
