using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderSystem.Inventory.Migrations
{
    /// <inheritdoc />
    public partial class SnakeCaseIndexNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameIndex(
                name: "IX_inventory_items_category_id",
                table: "inventory_items",
                newName: "ix_inventory_items_category_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameIndex(
                name: "ix_inventory_items_category_id",
                table: "inventory_items",
                newName: "IX_inventory_items_category_id");
        }
    }
}
