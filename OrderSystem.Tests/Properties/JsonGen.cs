using System.Globalization;
using System.Text.Json;
using CsCheck;

namespace OrderSystem.Tests.Properties;

/// <summary>
/// Generators of JSON text, valid and not: strings with any characters, numbers beyond every .NET type, values of
/// every kind nested a few levels, arrays nested past the parser's depth limit, and objects built from fields that a
/// generator may leave out, duplicate or replace with a value of the wrong type.
/// </summary>
internal static class JsonGen
{
    /// <summary>Any string, JSON-escaped: plain, blank, long, or of any UTF-16 code units (controls, lone surrogates).</summary>
    public static readonly Gen<string> String = Gen.Frequency(
        (4, Gen.String[Gen.Char.AlphaNumeric, 1, 24]),
        (2, Gen.String[Gen.Char, 0, 40]),
        (1, Gen.OneOf(Gen.Const(string.Empty), Gen.Const("   "), Gen.Const("\0"), Gen.Const("a\0b"), Gen.Const("\u202e\u0301😀"))),
        (1, Gen.Int[60, 400].Select(length => new string('s', length))))
        .Select(Quote);

    /// <summary>Numbers a client may send: ordinary, at and past the edges of int, long and decimal, and not numbers at all.</summary>
    public static readonly Gen<string> Number = Gen.Frequency(
        (4, Gen.Int.Select(value => value.ToString(CultureInfo.InvariantCulture))),
        (2, Gen.Double.Select(value => double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "1e400")),
        (1, Gen.Long.Select(value => value.ToString(CultureInfo.InvariantCulture))),
        (2, Gen.OneOf(
            Gen.Const("0"), Gen.Const("-0"), Gen.Const("-1"), Gen.Const("2147483648"), Gen.Const("-2147483649"),
            Gen.Const("99999999999999999999999999999999"), Gen.Const("1e400"), Gen.Const("-1e-400"), Gen.Const("1.0000000000000000000000001"),
            Gen.Const("NaN"), Gen.Const("Infinity"), Gen.Const("0x10"), Gen.Const("01"), Gen.Const("1."))));

    /// <summary>Any JSON value, nested up to three levels.</summary>
    public static readonly Gen<string> Value = Gen.Recursive<string>((depth, self) =>
    {
        var scalar = Gen.OneOf(String, Number, Gen.OneOf(Gen.Const("true"), Gen.Const("false"), Gen.Const("null")));
        return depth >= 3
            ? scalar
            : Gen.Frequency(
                (4, scalar),
                (1, self.Array[0, 4].Select(values => "[" + string.Join(",", values) + "]")),
                (1, Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 1, 8], self).Array[0, 4]
                    .Select(fields => "{" + string.Join(",", fields.Select(field => Quote(field.Item1) + ":" + field.Item2)) + "}")));
    });

    /// <summary>Arrays or objects nested 1 to 2,000 deep: System.Text.Json stops at 64.</summary>
    public static readonly Gen<string> DeepNesting = Gen.Select(Gen.Int[1, 2000], Gen.Bool, static (depth, arrays) => arrays
        ? new string('[', depth) + new string(']', depth)
        : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth));

    /// <summary>A field as it is meant to be (most of the time), missing, or holding any other value.</summary>
    public static Gen<(string Name, string? Json)> Field(string name, Gen<string> valid) => Gen.Frequency(
        (8, valid.Select(json => (name, (string?)json))),
        (1, Gen.Const((name, (string?)null))),
        (2, Value.Select(json => (name, (string?)json))));

    /// <summary>An object of the given fields (a null value leaves the field out), sometimes with an extra or a repeated field.</summary>
    public static Gen<string> Object(params Gen<(string Name, string? Json)>[] fields) =>
        Gen.Select(
            fields.Aggregate(Gen.Const(Array.Empty<(string Name, string? Json)>()), static (all, field) => Gen.Select(all, field, static (values, value) => values.Append(value).ToArray())),
            Gen.Frequency((6, Gen.Const(string.Empty)), (1, Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 1, 12], Value, (name, value) => "," + Quote(name) + ":" + value))),
            Gen.Frequency((8, Gen.Const(false)), (1, Gen.Const(true))),
            static (values, extra, repeatFirst) =>
            {
                var present = values.Where(field => field.Json is not null).Select(field => Quote(field.Name) + ":" + field.Json).ToList();
                if (repeatFirst && present.Count > 0)
                {
                    present.Add(present[0]);
                }

                return "{" + string.Join(",", present) + extra + "}";
            });

    public static string Quote(string value) => JsonSerializer.Serialize(value);
}
