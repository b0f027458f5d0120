using OrderSystem.Diagnostics.Diagnosis;

namespace OrderSystem.Tests.Diagnosis;

[Trait("Category", "Unit")]
public sealed class StatementNormalizerTests
{
    [Theory]
    [InlineData("SELECT * FROM orders WHERE id = 42", "SELECT * FROM orders WHERE id = ?")]
    [InlineData("SELECT * FROM orders WHERE id = $1 AND status = 'paid'", "SELECT * FROM orders WHERE id = ? AND status = ?")]
    [InlineData("SELECT * FROM t WHERE name = 'O''Brien' AND x = @p0 AND y = :name", "SELECT * FROM t WHERE name = ? AND x = ? AND y = ?")]
    [InlineData("SELECT * FROM stock WHERE sku IN ('A', 'B', 'C')", "SELECT * FROM stock WHERE sku IN (?)")]
    [InlineData("SELECT * FROM stock WHERE sku IN ($1, $2, $3, $4)", "SELECT * FROM stock WHERE sku IN (?)")]
    [InlineData("INSERT INTO lines (a, b) VALUES (1, 'x'), (2, 'y'), (3, 'z')", "INSERT INTO lines (a, b) VALUES (?)")]
    [InlineData("SELECT * FROM t WHERE id = ANY(ARRAY[1, 2, 3])", "SELECT * FROM t WHERE id = ANY(ARRAY[?])")]
    [InlineData("SELECT  amount::numeric(10,2),\n\t price * 1.5e3 FROM t2 WHERE v = -0x1F;", "SELECT amount::numeric(?), price * ? FROM t2 WHERE v = -?")]
    [InlineData("SELECT \"Col1\" FROM \"Table 2\"", "SELECT \"Col1\" FROM \"Table 2\"")]
    [InlineData("GET stock:SKU-12", "GET stock:SKU-?")]
    [InlineData("SET cart:42 ? EX ?", "SET cart:? ? EX ?")]
    public void Literals_parameters_and_lists_become_placeholders(string statement, string expected) =>
        Assert.Equal(expected, new StatementNormalizer().Normalize(statement));

    [Fact]
    public void Executions_differing_only_in_values_have_one_shape()
    {
        var normalizer = new StatementNormalizer();
        var shapes = Enumerable.Range(1, 50).Select(i => normalizer.Normalize($"SELECT * FROM order_lines WHERE order_id = 'o-{i}' AND line_no IN ({i}, {i + 1})")).Distinct().ToList();
        Assert.Equal(["SELECT * FROM order_lines WHERE order_id = ? AND line_no IN (?)"], shapes);
    }
}
