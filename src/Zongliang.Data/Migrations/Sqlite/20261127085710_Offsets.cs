using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Zongliang.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Offsets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "UsedAmount",
                table: "ReductionMeasures",
                type: "TEXT",
                precision: 14,
                scale: 3,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.CreateTable(
                name: "QuotaOffsets",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ApplicationId = table.Column<int>(type: "INTEGER", nullable: false),
                    MeasureId = table.Column<int>(type: "INTEGER", nullable: false),
                    Pollutant = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Tonnes = table.Column<decimal>(type: "TEXT", precision: 14, scale: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QuotaOffsets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QuotaOffsets_ReductionMeasures_MeasureId",
                        column: x => x.MeasureId,
                        principalTable: "ReductionMeasures",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_QuotaOffsets_VerificationApplications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "VerificationApplications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.AddCheckConstraint(
                name: "CK_ReductionMeasures_UsedWithinAmount",
                table: "ReductionMeasures",
                sql: "CAST(\"UsedAmount\" AS REAL) <= CAST(\"Amount\" AS REAL) + 0.0005");

            migrationBuilder.CreateIndex(
                name: "IX_QuotaOffsets_ApplicationId",
                table: "QuotaOffsets",
                column: "ApplicationId");

            migrationBuilder.CreateIndex(
                name: "IX_QuotaOffsets_MeasureId",
                table: "QuotaOffsets",
                column: "MeasureId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "QuotaOffsets");

            migrationBuilder.DropCheckConstraint(
                name: "CK_ReductionMeasures_UsedWithinAmount",
                table: "ReductionMeasures");

            migrationBuilder.DropColumn(
                name: "UsedAmount",
                table: "ReductionMeasures");
        }
    }
}
