using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Zongliang.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Monitoring : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DeviceStatuses",
                columns: table => new
                {
                    DeviceId = table.Column<int>(type: "INTEGER", nullable: false),
                    LastSeenUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastPeer = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Packets = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeviceStatuses", x => x.DeviceId);
                });

            migrationBuilder.CreateTable(
                name: "PacketKeys",
                columns: table => new
                {
                    DeviceId = table.Column<int>(type: "INTEGER", nullable: false),
                    Cn = table.Column<short>(type: "INTEGER", nullable: false),
                    DataTimeUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PacketKeys", x => new { x.DeviceId, x.Cn, x.DataTimeUtc });
                });

            migrationBuilder.CreateTable(
                name: "RawPackets",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DeviceId = table.Column<int>(type: "INTEGER", nullable: false),
                    Seq = table.Column<long>(type: "INTEGER", nullable: false),
                    ReceivedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Peer = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Cn = table.Column<short>(type: "INTEGER", nullable: false),
                    Frame = table.Column<byte[]>(type: "BLOB", nullable: false),
                    PrevHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Hash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Duplicate = table.Column<bool>(type: "INTEGER", nullable: false),
                    Readings = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RawPackets", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Readings",
                columns: table => new
                {
                    OutletId = table.Column<int>(type: "INTEGER", nullable: false),
                    FactorCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Kind = table.Column<short>(type: "INTEGER", nullable: false),
                    TimeUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Value = table.Column<double>(type: "REAL", nullable: true),
                    Min = table.Column<double>(type: "REAL", nullable: true),
                    Max = table.Column<double>(type: "REAL", nullable: true),
                    Cou = table.Column<double>(type: "REAL", nullable: true),
                    Corrected = table.Column<double>(type: "REAL", nullable: true),
                    Flag = table.Column<string>(type: "TEXT", maxLength: 4, nullable: false),
                    RawPacketId = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Readings", x => new { x.OutletId, x.FactorCode, x.Kind, x.TimeUtc });
                });

            migrationBuilder.CreateIndex(
                name: "IX_RawPackets_DeviceId_Seq",
                table: "RawPackets",
                columns: new[] { "DeviceId", "Seq" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RawPackets_ReceivedAtUtc",
                table: "RawPackets",
                column: "ReceivedAtUtc");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DeviceStatuses");

            migrationBuilder.DropTable(
                name: "PacketKeys");

            migrationBuilder.DropTable(
                name: "RawPackets");

            migrationBuilder.DropTable(
                name: "Readings");
        }
    }
}
