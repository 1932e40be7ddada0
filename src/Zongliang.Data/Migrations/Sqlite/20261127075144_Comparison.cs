using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Zongliang.Data.Migrations.Sqlite
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
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OutletId = table.Column<int>(type: "INTEGER", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Due = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    AssignedTo = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    EvaluatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    EvaluatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TaskId = table.Column<int>(type: "INTEGER", nullable: false),
                    FactorCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Error = table.Column<double>(type: "REAL", nullable: false),
                    Limit = table.Column<double>(type: "REAL", nullable: false),
                    Passed = table.Column<bool>(type: "INTEGER", nullable: false),
                    ReferenceMean = table.Column<double>(type: "REAL", nullable: false),
                    Pairs = table.Column<int>(type: "INTEGER", nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TaskId = table.Column<int>(type: "INTEGER", nullable: false),
                    FactorCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SampledAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LabValue = table.Column<double>(type: "REAL", nullable: false),
                    Method = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    DeviceValue = table.Column<double>(type: "REAL", nullable: true)
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
