using OrderSystem.Diagnostics.Plans;

namespace OrderSystem.Tests.Diagnosis;

/// <summary>What a traced statement is planned as: reads as they are without their locking clause, writes as the SELECT of their WHERE.</summary>
[Trait("Category", "Unit")]
public sealed class PlannableStatementTests
{
    [Theory]
    [InlineData("SELECT i.sku, i.name FROM inventory_items AS i WHERE i.sku = ANY ($1)", "SELECT i.sku, i.name FROM inventory_items AS i WHERE i.sku = ANY ($1)", 1)]
    [InlineData("SELECT * FROM inventory_items WHERE sku = ANY($1) ORDER BY sku FOR UPDATE", "SELECT * FROM inventory_items WHERE sku = ANY($1) ORDER BY sku", 1)]
    [InlineData("SELECT id FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED;", "SELECT id FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1", 1)]
    [InlineData("UPDATE inventory_items SET available = $1, version = $2 WHERE sku = $3 AND version = $4", "SELECT 1 FROM inventory_items WHERE sku = $1 AND version = $2", 2)]
    [InlineData("UPDATE stock AS s SET quantity = s.quantity - $1 WHERE s.sku = $2 RETURNING s.quantity", "SELECT 1 FROM stock AS s WHERE s.sku = $1", 1)]
    [InlineData("DELETE FROM order_lines WHERE order_id = $1", "SELECT 1 FROM order_lines WHERE order_id = $1", 1)]
    [InlineData("SELECT i.sku FROM inventory_items AS i\nWHERE i.sku = ANY (@__skus_0) AND i.tags @> @tags AND @__skus_0 IS NOT NULL", "SELECT i.sku FROM inventory_items AS i\nWHERE i.sku = ANY ($1) AND i.tags @> $2 AND $1 IS NOT NULL", 2)]
    [InlineData("RELEASE SAVEPOINT \"__EFSavePoint\";\nSAVEPOINT \"__EFSavePoint\";\nSELECT * FROM inventory_items WHERE sku = ANY(@p0) ORDER BY sku FOR UPDATE", "SELECT * FROM inventory_items WHERE sku = ANY($1) ORDER BY sku", 1)]
    [InlineData("UPDATE inventory_items SET available = @p0\nWHERE id = @p1;\nUPDATE inventory_items SET available = @p2\nWHERE id = @p3;", "SELECT 1 FROM inventory_items WHERE id = $1", 1)]
    public void Statements_are_planned_as_selects_with_their_parameters_numbered_from_one(string statement, string planned, int parameters)
    {
        var plannable = PlannableStatement.From(statement);

        Assert.Equal(new PlannableStatement(planned, parameters), plannable);
    }

    [Theory]
    [InlineData("INSERT INTO orders (id, total) VALUES ($1, $2)")]
    [InlineData("DELETE FROM order_lines USING orders WHERE order_lines.order_id = orders.id")]
    [InlineData("VACUUM inventory_items")]
    public void Statements_that_find_no_rows_by_a_filter_are_not_planned(string statement) =>
        Assert.Null(PlannableStatement.From(statement));

    [Fact]
    public void Execute_passes_null_for_every_parameter() =>
        Assert.Equal("EXECUTE p(NULL, NULL)", new PlannableStatement("SELECT 1 WHERE $1 = $2", 2).ExecuteWithNulls("p"));

    [Theory]
    [InlineData("((i.sku)::text = ANY ($1))", new[] { "sku" })]
    [InlineData("((order_lines.order_id = $1) AND (order_lines.line_no > $2))", new[] { "order_id", "line_no" })]
    [InlineData("((available > 0) AND (sku = $1))", new[] { "sku", "available" })]
    [InlineData("((name)::text ~~ 'ARCHIVED-%'::text)", new[] { "name" })]
    public void A_filter_names_the_columns_it_compares_equalities_first(string filter, string[] columns) =>
        Assert.Equal(columns, JsonPlan.ComparedColumns(filter));

    [Fact]
    public void The_index_statement_quotes_only_names_that_need_it() =>
        Assert.Equal("CREATE INDEX ON sales.\"OrderLines\" (order_id, \"LineNo\")", new SequentialScan("sales", "OrderLines", "f", ["order_id", "LineNo"], 1).CreateIndex());
}
