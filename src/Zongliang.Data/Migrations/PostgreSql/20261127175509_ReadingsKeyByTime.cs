using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Zongliang.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class ReadingsKeyByTime : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_Readings",
                table: "Readings");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Readings",
                table: "Readings",
                columns: new[] { "OutletId", "Kind", "TimeUtc", "FactorCode" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_Readings",
                table: "Readings");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Readings",
                table: "Readings",
                columns: new[] { "OutletId", "FactorCode", "Kind", "TimeUtc" });
        }
    }
}
