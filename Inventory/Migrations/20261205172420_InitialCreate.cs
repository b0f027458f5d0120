using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace OrderSystem.Inventory.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        private const string SeedCatalogue = """
            -- The seeded catalogue: 60 SKUs in 6 categories with fixed prices and stock, the same on every machine.
            -- ON CONFLICT DO NOTHING keeps it idempotent and leaves rows that already exist alone (their stock has moved on).
            INSERT INTO categories (id, name) VALUES
                (1, 'Coffee & Tea'),
                (2, 'Kitchen'),
                (3, 'Electronics'),
                (4, 'Books'),
                (5, 'Outdoor'),
                (6, 'Office')
            ON CONFLICT DO NOTHING;

            INSERT INTO inventory_items (sku, name, category_id, price, available) VALUES
                ('SKU-0001', 'Espresso Beans 1 kg', 1, 18.90, 497),
                ('SKU-0002', 'Colombian Ground Coffee 500 g', 1, 9.50, 894),
                ('SKU-0003', 'Decaf Whole Beans 1 kg', 1, 17.40, 390),
                ('SKU-0004', 'Earl Grey Tea, 50 bags', 1, 5.20, 787),
                ('SKU-0005', 'Sencha Green Tea 100 g', 1, 7.80, 283),
                ('SKU-0006', 'Masala Chai Loose Leaf 200 g', 1, 8.60, 680),
                ('SKU-0007', 'Cold Brew Concentrate 1 l', 1, 11.25, 176),
                ('SKU-0008', 'Hot Chocolate Mix 400 g', 1, 6.40, 573),
                ('SKU-0009', 'Matcha Powder 30 g', 1, 14.90, 970),
                ('SKU-0010', 'Rooibos Vanilla Tea, 40 bags', 1, 4.95, 466),
                ('SKU-0011', 'Cast Iron Skillet 26 cm', 2, 39.00, 863),
                ('SKU-0012', 'Chef''s Knife 20 cm', 2, 54.50, 359),
                ('SKU-0013', 'Bamboo Cutting Board', 2, 19.90, 756),
                ('SKU-0014', 'Stainless Steel Saucepan 2 l', 2, 34.75, 252),
                ('SKU-0015', 'Silicone Spatula Set', 2, 12.99, 649),
                ('SKU-0016', 'Pour-Over Coffee Dripper', 2, 22.00, 145),
                ('SKU-0017', 'Glass Storage Jars, set of 4', 2, 24.60, 542),
                ('SKU-0018', 'Digital Kitchen Scale', 2, 17.80, 939),
                ('SKU-0019', 'French Press 1 l', 2, 29.90, 435),
                ('SKU-0020', 'Ceramic Mixing Bowl 3 l', 2, 21.40, 832),
                ('SKU-0021', 'Wireless Mouse', 3, 24.99, 328),
                ('SKU-0022', 'Mechanical Keyboard', 3, 89.00, 725),
                ('SKU-0023', 'USB-C Charger 65 W', 3, 39.90, 221),
                ('SKU-0024', 'Noise-Cancelling Headphones', 3, 199.00, 618),
                ('SKU-0025', 'Bluetooth Speaker', 3, 59.95, 114),
                ('SKU-0026', '27-inch Monitor', 3, 249.00, 511),
                ('SKU-0027', 'USB-C Hub, 7 ports', 3, 45.50, 908),
                ('SKU-0028', 'Portable SSD 1 TB', 3, 119.00, 404),
                ('SKU-0029', 'HD Webcam', 3, 69.90, 801),
                ('SKU-0030', 'Smart Plug, 2-pack', 3, 27.80, 297),
                ('SKU-0031', 'Designing Data-Intensive Applications', 4, 42.50, 694),
                ('SKU-0032', 'Distributed Systems in Practice', 4, 38.00, 190),
                ('SKU-0033', 'The Pragmatic Programmer', 4, 36.90, 587),
                ('SKU-0034', 'Release It!', 4, 34.20, 984),
                ('SKU-0035', 'Observability Engineering', 4, 44.95, 480),
                ('SKU-0036', 'Database Internals', 4, 41.30, 877),
                ('SKU-0037', 'Site Reliability Engineering', 4, 39.99, 373),
                ('SKU-0038', 'Refactoring', 4, 47.00, 770),
                ('SKU-0039', 'Clean Architecture', 4, 33.60, 266),
                ('SKU-0040', 'Patterns of Enterprise Application Architecture', 4, 52.80, 663),
                ('SKU-0041', 'Trekking Poles, pair', 5, 49.90, 159),
                ('SKU-0042', 'Insulated Water Bottle 750 ml', 5, 24.50, 556),
                ('SKU-0043', 'Two-Person Tent', 5, 179.00, 953),
                ('SKU-0044', 'Down Sleeping Bag', 5, 149.00, 449),
                ('SKU-0045', 'Headlamp 300 lm', 5, 29.95, 846),
                ('SKU-0046', 'Daypack 25 l', 5, 64.00, 342),
                ('SKU-0047', 'Camping Stove', 5, 54.90, 739),
                ('SKU-0048', 'Rain Jacket', 5, 119.50, 235),
                ('SKU-0049', 'Merino Hiking Socks', 5, 18.40, 632),
                ('SKU-0050', 'First Aid Kit', 5, 26.70, 128),
                ('SKU-0051', 'A5 Dotted Notebook', 6, 12.50, 525),
                ('SKU-0052', 'Gel Pens, pack of 10', 6, 8.90, 922),
                ('SKU-0053', 'Desk Organiser', 6, 22.30, 418),
                ('SKU-0054', 'Ergonomic Office Chair', 6, 289.00, 815),
                ('SKU-0055', 'Standing Desk Converter', 6, 159.00, 311),
                ('SKU-0056', 'Monitor Arm', 6, 79.90, 708),
                ('SKU-0057', 'Whiteboard 90 x 60 cm', 6, 49.00, 204),
                ('SKU-0058', 'Paper Shredder', 6, 89.50, 601),
                ('SKU-0059', 'Laptop Stand', 6, 39.95, 998),
                ('SKU-0060', 'Desk Lamp LED', 6, 34.90, 494)
            ON CONFLICT (sku) DO NOTHING;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "categories",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("categories_pkey", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "inventory_reservations",
                columns: table => new
                {
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sku = table.Column<string>(type: "text", nullable: false),
                    quantity = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("inventory_reservations_pkey", x => new { x.order_id, x.sku });
                    table.CheckConstraint("inventory_reservations_quantity_check", "quantity > 0");
                    table.CheckConstraint("inventory_reservations_status_check", "status IN ('DEDUCTED', 'RELEASED', 'CANCELLED')");
                });

            migrationBuilder.CreateTable(
                name: "inventory_items",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.SerialColumn),
                    sku = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    category_id = table.Column<int>(type: "integer", nullable: false),
                    price = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    available = table.Column<int>(type: "integer", nullable: false),
                    listed = table.Column<bool>(type: "boolean", nullable: false, defaultValue: true),
                    version = table.Column<long>(type: "bigint", nullable: false, defaultValue: 0L),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("inventory_items_pkey", x => x.id);
                    table.CheckConstraint("inventory_items_available_check", "available >= 0");
                    table.CheckConstraint("inventory_items_price_check", "price >= 0");
                    table.CheckConstraint("inventory_items_sku_check", "length(sku) BETWEEN 1 AND 64");
                    table.ForeignKey(
                        name: "inventory_items_category_id_fkey",
                        column: x => x.category_id,
                        principalTable: "categories",
                        principalColumn: "id");
                });

            migrationBuilder.CreateIndex(
                name: "categories_name_key",
                table: "categories",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_inventory_items_category_id",
                table: "inventory_items",
                column: "category_id");

            migrationBuilder.CreateIndex(
                name: "ix_inventory_items_listed_sku",
                table: "inventory_items",
                column: "sku",
                filter: "listed");

            migrationBuilder.CreateIndex(
                name: "ix_inventory_items_sku",
                table: "inventory_items",
                column: "sku",
                unique: true);

            // The seeded catalogue (docs/inventory.md), in the migration so that every database has it from the start.
            migrationBuilder.Sql(SeedCatalogue);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "inventory_items");

            migrationBuilder.DropTable(
                name: "inventory_reservations");

            migrationBuilder.DropTable(
                name: "categories");
        }
    }
}
