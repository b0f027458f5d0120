namespace OrderSystem.AppHost.Hosting;

/// <summary>
/// A secret the AppHost generates once and keeps in the state folder (like Aspire's generated parameters kept in user
/// secrets), so a PostgreSQL data directory created with a password keeps working across runs.
/// </summary>
public sealed class ParameterResource(string name, Func<string> valueProvider) : Resource(name)
{
    private readonly Lazy<string> _value = new(valueProvider);

    public override string Type => "parameter";

    public bool Secret { get; init; } = true;

    public string Value => _value.Value;
}
