namespace OrderSystem.Diagnostics.Storage;

/// <summary>The attribute value types Jaeger's model knows; OTLP arrays and maps are kept as JSON text.</summary>
public enum AttributeValueType : byte
{
    String,
    Bool,
    Int64,
    Float64,
    Binary,
}

/// <summary>
/// One attribute, its value kept as invariant text (pooled when short) so that every attribute is the same small
/// struct, equality search needs no conversion, and the typed value is rebuilt only when a trace is shown.
/// </summary>
public readonly record struct StoredAttribute(string Key, string Value, AttributeValueType Type);
