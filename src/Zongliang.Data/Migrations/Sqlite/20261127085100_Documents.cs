using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Zongliang.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Documents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "EiaApprovals",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ApplicationId = table.Column<int>(type: "INTEGER", nullable: false),
                    EiaNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ApprovedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ApprovedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EiaApprovals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EiaApprovals_VerificationApplications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "VerificationApplications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "IssuedDocuments",
                columns: table => new
                {
                    ApplicationId = table.Column<int>(type: "INTEGER", nullable: false),
                    Number = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Office = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    IssuedOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Pdf = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IssuedDocuments", x => x.ApplicationId);
                    table.ForeignKey(
                        name: "FK_IssuedDocuments_VerificationApplications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "VerificationApplications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_EiaApprovals_ApplicationId",
                table: "EiaApprovals",
                column: "ApplicationId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_IssuedDocuments_Number",
                table: "IssuedDocuments",
                column: "Number",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EiaApprovals");

            migrationBuilder.DropTable(
                name: "IssuedDocuments");
        }
    }
}
