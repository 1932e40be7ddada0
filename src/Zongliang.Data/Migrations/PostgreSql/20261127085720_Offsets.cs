using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Zongliang.Data.Migrations.PostgreSql
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
                type: "numeric(14,3)",
                precision: 14,
                scale: 3,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.CreateTable(
                name: "QuotaOffsets",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ApplicationId = table.Column<int>(type: "integer", nullable: false),
                    MeasureId = table.Column<int>(type: "integer", nullable: false),
                    Pollutant = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Tonnes = table.Column<decimal>(type: "numeric(14,3)", precision: 14, scale: 3, nullable: false)
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
