using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Zongliang.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class Validity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuditDecisions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OutletId = table.Column<int>(type: "integer", nullable: false),
                    FactorCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    StartUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Span = table.Column<byte>(type: "smallint", nullable: false),
                    Valid = table.Column<bool>(type: "boolean", nullable: false),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    DecidedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    DecidedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Reaudit = table.Column<bool>(type: "boolean", nullable: false),
                    StatusBefore = table.Column<byte>(type: "smallint", nullable: false),
                    MeanBefore = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditDecisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AuditDecisions_Outlets_OutletId",
                        column: x => x.OutletId,
                        principalTable: "Outlets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "DayAggregates",
                columns: table => new
                {
                    OutletId = table.Column<int>(type: "integer", nullable: false),
                    FactorCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Mean = table.Column<double>(type: "double precision", nullable: true),
                    Min = table.Column<double>(type: "double precision", nullable: true),
                    Max = table.Column<double>(type: "double precision", nullable: true),
                    Hours = table.Column<short>(type: "smallint", nullable: false),
                    ValidHours = table.Column<short>(type: "smallint", nullable: false),
                    StoppedHours = table.Column<short>(type: "smallint", nullable: false),
                    ValidPoints = table.Column<int>(type: "integer", nullable: false),
                    ExpectedPoints = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<byte>(type: "smallint", nullable: false),
                    Suspect = table.Column<int>(type: "integer", nullable: false),
                    Audited = table.Column<bool>(type: "boolean", nullable: false),
                    MassKg = table.Column<double>(type: "double precision", nullable: false),
                    SubstitutedHours = table.Column<short>(type: "smallint", nullable: false),
                    UnknownMassHours = table.Column<short>(type: "smallint", nullable: false),
                    VolumeM3 = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DayAggregates", x => new { x.OutletId, x.FactorCode, x.Day });
                });

            migrationBuilder.CreateTable(
                name: "HourAggregates",
                columns: table => new
                {
                    OutletId = table.Column<int>(type: "integer", nullable: false),
                    FactorCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    HourUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Mean = table.Column<double>(type: "double precision", nullable: true),
                    Min = table.Column<double>(type: "double precision", nullable: true),
                    Max = table.Column<double>(type: "double precision", nullable: true),
                    Corrected = table.Column<double>(type: "double precision", nullable: true),
                    Received = table.Column<short>(type: "smallint", nullable: false),
                    Expected = table.Column<short>(type: "smallint", nullable: false),
                    ValidCount = table.Column<short>(type: "smallint", nullable: false),
                    ManualCount = table.Column<short>(type: "smallint", nullable: false),
                    Status = table.Column<byte>(type: "smallint", nullable: false),
                    Suspect = table.Column<int>(type: "integer", nullable: false),
                    Audited = table.Column<bool>(type: "boolean", nullable: false),
                    MassKg = table.Column<double>(type: "double precision", nullable: true),
                    Mass = table.Column<byte>(type: "smallint", nullable: false),
                    VolumeM3 = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HourAggregates", x => new { x.OutletId, x.FactorCode, x.HourUtc });
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditDecisions_OutletId_StartUtc",
                table: "AuditDecisions",
                columns: new[] { "OutletId", "StartUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_HourAggregates_HourUtc_Status",
                table: "HourAggregates",
                columns: new[] { "HourUtc", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditDecisions");

            migrationBuilder.DropTable(
                name: "DayAggregates");

            migrationBuilder.DropTable(
                name: "HourAggregates");
        }
    }
}
