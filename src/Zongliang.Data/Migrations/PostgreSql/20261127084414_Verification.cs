using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Zongliang.Data.Migrations.PostgreSql
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
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RegionId = table.Column<int>(type: "integer", nullable: false),
                    Project = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Investor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Eia = table.Column<int>(type: "integer", nullable: false),
                    Approval = table.Column<int>(type: "integer", nullable: false),
                    QuotaSource = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    SubmittedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SubmittedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Path = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Issuer = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    RecordOnly = table.Column<bool>(type: "boolean", nullable: false),
                    StepIndex = table.Column<int>(type: "integer", nullable: false),
                    State = table.Column<int>(type: "integer", nullable: false),
                    DocumentYear = table.Column<int>(type: "integer", nullable: true),
                    DocumentNumber = table.Column<int>(type: "integer", nullable: true),
                    IssuerRegionId = table.Column<int>(type: "integer", nullable: true),
                    IssuedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
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
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ApplicationId = table.Column<int>(type: "integer", nullable: false),
                    Pollutant = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Tonnes = table.Column<decimal>(type: "numeric(14,3)", precision: 14, scale: 3, nullable: false)
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
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ApplicationId = table.Column<int>(type: "integer", nullable: false),
                    Index = table.Column<int>(type: "integer", nullable: false),
                    Office = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Decision = table.Column<int>(type: "integer", nullable: false),
                    Opinion = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Signer = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    DecidedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
                name: "IX_VerificationApplications_IssuerRegionId_DocumentYear_Docume~",
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
