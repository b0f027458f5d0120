using System.Text.Json;

namespace OrderSystem.LoadGenerator.Endpoints;

/// <summary>What the load generator reads from <c>endpoints.json</c>: the Gateway, its API key, and the dashboard.</summary>
public sealed record EndpointsDocument(string? Gateway, string? ApiKey, string? Dashboard)
{
    /// <exception cref="InvalidOptionsException">The file cannot be read or is not an endpoints document.</exception>
    public static EndpointsDocument Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidOptionsException($"{path} is not an endpoints file: it holds no JSON object");
            }

            return new EndpointsDocument(
                StringOf(document.RootElement, "gateway"),
                StringOf(document.RootElement, "apiKey"),
                StringOf(document.RootElement, "dashboard"));
        }
        catch (JsonException exception)
        {
            throw new InvalidOptionsException($"{path} is not valid JSON: {exception.Message}");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOptionsException($"cannot read {path}: {exception.Message}");
        }
    }

    private static string? StringOf(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()
            : null;
}
