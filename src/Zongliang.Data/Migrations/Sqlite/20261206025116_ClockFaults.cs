using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Zongliang.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ClockFaults : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DeviceClockFaults",
                columns: table => new
                {
                    DeviceId = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastDataTime = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Verdict = table.Column<int>(type: "INTEGER", nullable: false),
                    Packets = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeviceClockFaults", x => x.DeviceId);
                    table.ForeignKey(
                        name: "FK_DeviceClockFaults_Devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "Devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DeviceClockFaults");
        }
    }
}
