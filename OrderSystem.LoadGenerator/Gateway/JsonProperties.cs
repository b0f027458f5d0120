using System.Text.Json;

namespace OrderSystem.LoadGenerator.Gateway;

/// <summary>Reads properties of the Gateway's JSON by their camelCase name, tolerating another casing.</summary>
internal static class JsonProperties
{
    public static JsonElement? Find(JsonElement element, string name)
    {
        if (element.TryGetProperty(name, out var exact))
        {
            return exact;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    /// <summary>The string value of the first of <paramref name="names"/> the object has, or null.</summary>
    public static string? FindString(ReadOnlyMemory<byte> json, params ReadOnlySpan<string> names)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var name in names)
            {
                if (Find(document.RootElement, name) is { ValueKind: JsonValueKind.String } value && !string.IsNullOrEmpty(value.GetString()))
                {
                    return value.GetString();
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
