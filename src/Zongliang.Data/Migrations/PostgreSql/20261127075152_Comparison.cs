using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Zongliang.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class Comparison : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ComparisonTasks",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OutletId = table.Column<int>(type: "integer", nullable: false),
                    Key = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Label = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Due = table.Column<DateOnly>(type: "date", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    AssignedTo = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    State = table.Column<int>(type: "integer", nullable: false),
                    EvaluatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    EvaluatedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ComparisonTasks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ComparisonTasks_Outlets_OutletId",
                        column: x => x.OutletId,
                        principalTable: "Outlets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ComparisonResult",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TaskId = table.Column<int>(type: "integer", nullable: false),
                    FactorCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    Error = table.Column<double>(type: "double precision", nullable: false),
                    Limit = table.Column<double>(type: "double precision", nullable: false),
                    Passed = table.Column<bool>(type: "boolean", nullable: false),
                    ReferenceMean = table.Column<double>(type: "double precision", nullable: false),
                    Pairs = table.Column<int>(type: "integer", nullable: false),
                    Description = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ComparisonResult", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ComparisonResult_ComparisonTasks_TaskId",
                        column: x => x.TaskId,
                        principalTable: "ComparisonTasks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ComparisonSample",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TaskId = table.Column<int>(type: "integer", nullable: false),
                    FactorCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    SampledAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LabValue = table.Column<double>(type: "double precision", nullable: false),
                    Method = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    DeviceValue = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ComparisonSample", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ComparisonSample_ComparisonTasks_TaskId",
                        column: x => x.TaskId,
                        principalTable: "ComparisonTasks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ComparisonResult_TaskId",
                table: "ComparisonResult",
                column: "TaskId");

            migrationBuilder.CreateIndex(
                name: "IX_ComparisonSample_TaskId",
                table: "ComparisonSample",
                column: "TaskId");

            migrationBuilder.CreateIndex(
                name: "IX_ComparisonTasks_OutletId_Key",
                table: "ComparisonTasks",
                columns: new[] { "OutletId", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ComparisonTasks_State_Due",
                table: "ComparisonTasks",
                columns: new[] { "State", "Due" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ComparisonResult");

            migrationBuilder.DropTable(
                name: "ComparisonSample");

            migrationBuilder.DropTable(
                name: "ComparisonTasks");
        }
    }
}
