using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Zongliang.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Verification : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "VerificationApplications",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RegionId = table.Column<int>(type: "INTEGER", nullable: false),
                    Project = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Investor = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Eia = table.Column<int>(type: "INTEGER", nullable: false),
                    Approval = table.Column<int>(type: "INTEGER", nullable: false),
                    QuotaSource = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    SubmittedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SubmittedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Path = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Issuer = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    RecordOnly = table.Column<bool>(type: "INTEGER", nullable: false),
                    StepIndex = table.Column<int>(type: "INTEGER", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    DocumentYear = table.Column<int>(type: "INTEGER", nullable: true),
                    DocumentNumber = table.Column<int>(type: "INTEGER", nullable: true),
                    IssuerRegionId = table.Column<int>(type: "INTEGER", nullable: true),
                    IssuedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VerificationApplications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_VerificationApplications_Regions_RegionId",
                        column: x => x.RegionId,
                        principalTable: "Regions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ApplicationAmount",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ApplicationId = table.Column<int>(type: "INTEGER", nullable: false),
                    Pollutant = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Tonnes = table.Column<decimal>(type: "TEXT", precision: 14, scale: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApplicationAmount", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ApplicationAmount_VerificationApplications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "VerificationApplications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ReviewStep",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ApplicationId = table.Column<int>(type: "INTEGER", nullable: false),
                    Index = table.Column<int>(type: "INTEGER", nullable: false),
                    Office = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Decision = table.Column<int>(type: "INTEGER", nullable: false),
                    Opinion = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Signer = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DecidedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReviewStep", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReviewStep_VerificationApplications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "VerificationApplications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ApplicationAmount_ApplicationId",
                table: "ApplicationAmount",
                column: "ApplicationId");

            migrationBuilder.CreateIndex(
                name: "IX_ReviewStep_ApplicationId",
                table: "ReviewStep",
                column: "ApplicationId");

            migrationBuilder.CreateIndex(
                name: "IX_VerificationApplications_IssuerRegionId_DocumentYear_DocumentNumber",
                table: "VerificationApplications",
                columns: new[] { "IssuerRegionId", "DocumentYear", "DocumentNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_VerificationApplications_RegionId",
                table: "VerificationApplications",
                column: "RegionId");

            migrationBuilder.CreateIndex(
                name: "IX_VerificationApplications_State",
                table: "VerificationApplications",
                column: "State");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ApplicationAmount");

            migrationBuilder.DropTable(
                name: "ReviewStep");

            migrationBuilder.DropTable(
                name: "VerificationApplications");
        }
    }
}
