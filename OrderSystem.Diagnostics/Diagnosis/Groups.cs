using System.Runtime.InteropServices;

namespace OrderSystem.Diagnostics.Diagnosis;

internal static class Groups
{
    /// <summary>Adds <paramref name="value"/> to the list of <paramref name="key"/>, starting the list when there is none.</summary>
    public static void Append<TKey, TValue>(this Dictionary<TKey, List<TValue>> groups, TKey key, TValue value) where TKey : notnull =>
        (CollectionsMarshal.GetValueRefOrAddDefault(groups, key, out _) ??= []).Add(value);
}
