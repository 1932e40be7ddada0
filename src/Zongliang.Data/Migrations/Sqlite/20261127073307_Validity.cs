using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Zongliang.Data.Migrations.Sqlite
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OutletId = table.Column<int>(type: "INTEGER", nullable: false),
                    FactorCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    StartUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Span = table.Column<byte>(type: "INTEGER", nullable: false),
                    Valid = table.Column<bool>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DecidedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Reaudit = table.Column<bool>(type: "INTEGER", nullable: false),
                    StatusBefore = table.Column<byte>(type: "INTEGER", nullable: false),
                    MeanBefore = table.Column<double>(type: "REAL", nullable: true)
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
                    OutletId = table.Column<int>(type: "INTEGER", nullable: false),
                    FactorCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Mean = table.Column<double>(type: "REAL", nullable: true),
                    Min = table.Column<double>(type: "REAL", nullable: true),
                    Max = table.Column<double>(type: "REAL", nullable: true),
                    Hours = table.Column<short>(type: "INTEGER", nullable: false),
                    ValidHours = table.Column<short>(type: "INTEGER", nullable: false),
                    StoppedHours = table.Column<short>(type: "INTEGER", nullable: false),
                    ValidPoints = table.Column<int>(type: "INTEGER", nullable: false),
                    ExpectedPoints = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<byte>(type: "INTEGER", nullable: false),
                    Suspect = table.Column<ushort>(type: "INTEGER", nullable: false),
                    Audited = table.Column<bool>(type: "INTEGER", nullable: false),
                    MassKg = table.Column<double>(type: "REAL", nullable: false),
                    SubstitutedHours = table.Column<short>(type: "INTEGER", nullable: false),
                    UnknownMassHours = table.Column<short>(type: "INTEGER", nullable: false),
                    VolumeM3 = table.Column<double>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DayAggregates", x => new { x.OutletId, x.FactorCode, x.Day });
                });

            migrationBuilder.CreateTable(
                name: "HourAggregates",
                columns: table => new
                {
                    OutletId = table.Column<int>(type: "INTEGER", nullable: false),
                    FactorCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    HourUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Mean = table.Column<double>(type: "REAL", nullable: true),
                    Min = table.Column<double>(type: "REAL", nullable: true),
                    Max = table.Column<double>(type: "REAL", nullable: true),
                    Corrected = table.Column<double>(type: "REAL", nullable: true),
                    Received = table.Column<short>(type: "INTEGER", nullable: false),
                    Expected = table.Column<short>(type: "INTEGER", nullable: false),
                    ValidCount = table.Column<short>(type: "INTEGER", nullable: false),
                    ManualCount = table.Column<short>(type: "INTEGER", nullable: false),
                    Status = table.Column<byte>(type: "INTEGER", nullable: false),
                    Suspect = table.Column<ushort>(type: "INTEGER", nullable: false),
                    Audited = table.Column<bool>(type: "INTEGER", nullable: false),
                    MassKg = table.Column<double>(type: "REAL", nullable: true),
                    Mass = table.Column<byte>(type: "INTEGER", nullable: false),
                    VolumeM3 = table.Column<double>(type: "REAL", nullable: true)
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
