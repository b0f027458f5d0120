using System.Text;

namespace OrderSystem.Diagnostics.Storage;

/// <summary>One string that is equal for equal attribute sets, whatever their order: a dictionary key.</summary>
internal static class AttributeSetKey
{
    public static string Of(StoredAttribute[] attributes)
    {
        if (attributes.Length == 0)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        foreach (var attribute in attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            builder.Append(attribute.Key).Append('\u0001').Append((int)attribute.Type).Append(attribute.Value).Append('\u0002');
        }

        return builder.ToString();
    }
}
