using CsCheck;

namespace OrderSystem.Tests.Properties;

/// <summary>
/// Field values for the gRPC contracts' messages. A generated value may hold placeholders that the test replaces when
/// it runs the sample: <see cref="Fresh"/> by a new GUID (so every call's rows can be found in the database, however
/// often CsCheck replays a sample while shrinking) and <see cref="KnownSku"/>0 and 1 by SKUs the test created.
/// </summary>
internal static class GrpcGen
{
    public const string Fresh = "{fresh}";
    public const string KnownSku = "{sku}";

    /// <summary>An id that contains <see cref="Fresh"/> (mostly a well-formed one) or is blank.</summary>
    public static readonly Gen<string> Id = Gen.Frequency(
        (6, Gen.Const("prop-" + Fresh)),
        (1, Gen.OneOf(Gen.Const(string.Empty), Gen.Const("   "), Gen.Const("\t"))),
        (1, Gen.Int[100, 300].Select(length => Fresh + new string('x', length))),
        (1, Gen.OneOf(Gen.Const("prop-" + Fresh + "\0"), Gen.Const("prop-\u0001" + Fresh), Gen.Const(" prop-" + Fresh + "\n"))),
        (2, Gen.String[Gen.Char, 0, 20].Select(text => text + Fresh)));

    /// <summary>One of two known SKUs, an unknown one, a blank, a long or a strange one.</summary>
    public static readonly Gen<string> Sku = Gen.Frequency(
        (6, Gen.Int[0, 1].Select(index => KnownSku + index)),
        (2, Gen.String[Gen.Char.AlphaNumeric, 1, 12].Select(sku => "PROP-" + sku)),
        (1, Gen.OneOf(Gen.Const(string.Empty), Gen.Const(" "), Gen.Const("SKU\0"))),
        (1, Gen.Int[60, 200].Select(length => new string('S', length))),
        (1, Gen.String[Gen.Char, 1, 20]));

    /// <summary>Quantities: mostly small and positive, else zero, negative or huge.</summary>
    public static readonly Gen<int> Quantity = Gen.Frequency(
        (6, Gen.Int[1, 5]),
        (1, Gen.OneOf(Gen.Const(0), Gen.Const(-1), Gen.Const(int.MinValue), Gen.Const(int.MaxValue), Gen.Const(1_000_000))),
        (1, Gen.Int));

    public static readonly Gen<(string Sku, int Quantity)[]> Lines = Gen.Frequency(
        (8, Gen.Select(Sku, Quantity).Array[1, 4]),
        (1, Gen.Const(Array.Empty<(string, int)>())),
        (1, Gen.Select(Sku, Quantity).Array[49, 120]));

    /// <summary>Decimal strings as a caller might send them, well-formed or not.</summary>
    public static readonly Gen<string> Amount = Gen.Frequency(
        (6, Gen.Const(string.Empty)),
        (1, JsonGen.Number),
        (1, Gen.String[Gen.Char, 0, 12]));

    public static string Resolve(string template, string fresh, IReadOnlyList<string> skus)
    {
        var text = template.Replace(Fresh, fresh, StringComparison.Ordinal);
        for (var index = 0; index < skus.Count; index++)
        {
            text = text.Replace(KnownSku + index, skus[index], StringComparison.Ordinal);
        }

        return text;
    }
}
