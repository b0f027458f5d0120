using System.Globalization;
using System.Text.Json;

namespace OrderSystem.ServiceDefaults.Faults;

/// <summary>
/// A fault's value in the shared hash: <c>on</c>, <c>off</c>, or a JSON object
/// <c>{"enabled":true,"parameters":{"extraLatencyMs":1500}}</c> with numeric parameters.
/// </summary>
public sealed record FaultState(bool Enabled, IReadOnlyDictionary<string, double> Parameters)
{
    public static FaultState Off { get; } = new(false, new Dictionary<string, double>());

    public static FaultState On { get; } = new(true, new Dictionary<string, double>());

    public double GetParameter(string name, double defaultValue) => Parameters.TryGetValue(name, out var value) ? value : defaultValue;

    /// <summary>The value as stored: <c>on</c>/<c>off</c> without parameters, JSON with them.</summary>
    public string Serialize() => Parameters.Count == 0
        ? (Enabled ? "on" : "off")
        : JsonSerializer.Serialize(new { enabled = Enabled, parameters = Parameters });

    /// <summary>Reads a stored value; anything unreadable is off, so a bad value can never switch a fault on.</summary>
    public static FaultState Parse(string? value)
    {
        var text = value?.Trim();
        if (string.Equals(text, "on", StringComparison.OrdinalIgnoreCase))
        {
            return On;
        }

        if (string.IsNullOrEmpty(text) || text[0] != '{')
        {
            return Off;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var enabled = root.TryGetProperty("enabled", out var flag) && flag.ValueKind == JsonValueKind.True;
            var parameters = new Dictionary<string, double>(StringComparer.Ordinal);
            if (root.TryGetProperty("parameters", out var values) && values.ValueKind == JsonValueKind.Object)
            {
                foreach (var parameter in values.EnumerateObject())
                {
                    if (parameter.Value.ValueKind == JsonValueKind.Number)
                    {
                        parameters[parameter.Name] = parameter.Value.GetDouble();
                    }
                    else if (double.TryParse(parameter.Value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                    {
                        parameters[parameter.Name] = number;
                    }
                }
            }

            return new FaultState(enabled, parameters);
        }
        catch (JsonException)
        {
            return Off;
        }
        catch (InvalidOperationException)
        {
            return Off;
        }
    }
}
