using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Zongliang.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Supervision : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SupervisoryTasks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    Quarter = table.Column<int>(type: "INTEGER", nullable: false),
                    EnterpriseId = table.Column<int>(type: "INTEGER", nullable: false),
                    RegionId = table.Column<int>(type: "INTEGER", nullable: false),
                    TreatmentEntryId = table.Column<long>(type: "INTEGER", nullable: true),
                    Responsible = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Due = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DoneAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SupervisoryTasks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SupervisoryTasks_Enterprises_EnterpriseId",
                        column: x => x.EnterpriseId,
                        principalTable: "Enterprises",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SupervisoryTasks_Regions_RegionId",
                        column: x => x.RegionId,
                        principalTable: "Regions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "TreatmentLists",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DocumentNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    IssuedOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    IssuedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TreatmentLists", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SupervisorySamples",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TaskId = table.Column<long>(type: "INTEGER", nullable: false),
                    OutletId = table.Column<int>(type: "INTEGER", nullable: false),
                    SampledAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Method = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ReportNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    EnteredBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    EnteredAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SupervisorySamples", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SupervisorySamples_Outlets_OutletId",
                        column: x => x.OutletId,
                        principalTable: "Outlets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SupervisorySamples_SupervisoryTasks_TaskId",
                        column: x => x.TaskId,
                        principalTable: "SupervisoryTasks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SupervisoryTaskEdits",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TaskId = table.Column<long>(type: "INTEGER", nullable: false),
                    Field = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Before = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    After = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    By = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SupervisoryTaskEdits", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SupervisoryTaskEdits_SupervisoryTasks_TaskId",
                        column: x => x.TaskId,
                        principalTable: "SupervisoryTasks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TreatmentEntries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ListId = table.Column<long>(type: "INTEGER", nullable: false),
                    EnterpriseId = table.Column<int>(type: "INTEGER", nullable: false),
                    RegionId = table.Column<int>(type: "INTEGER", nullable: false),
                    Problem = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Deadline = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    RequiredMeasures = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Project = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    MonitoringTaskId = table.Column<long>(type: "INTEGER", nullable: true),
                    CaseId = table.Column<long>(type: "INTEGER", nullable: true),
                    ConcludedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Conclusion = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TreatmentEntries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TreatmentEntries_Enterprises_EnterpriseId",
                        column: x => x.EnterpriseId,
                        principalTable: "Enterprises",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_TreatmentEntries_Regions_RegionId",
                        column: x => x.RegionId,
                        principalTable: "Regions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_TreatmentEntries_TreatmentLists_ListId",
                        column: x => x.ListId,
                        principalTable: "TreatmentLists",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SampleValues",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SampleId = table.Column<long>(type: "INTEGER", nullable: false),
                    FactorCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Value = table.Column<double>(type: "REAL", nullable: false),
                    Limit = table.Column<double>(type: "REAL", nullable: true),
                    Exceeded = table.Column<bool>(type: "INTEGER", nullable: false),
                    Online = table.Column<double>(type: "REAL", nullable: true),
                    DifferencePercent = table.Column<double>(type: "REAL", nullable: true),
                    Suspicious = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SampleValues", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SampleValues_SupervisorySamples_SampleId",
                        column: x => x.SampleId,
                        principalTable: "SupervisorySamples",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TreatmentChecks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EntryId = table.Column<long>(type: "INTEGER", nullable: false),
                    CheckedOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Participants = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Findings = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RecordedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TreatmentChecks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TreatmentChecks_TreatmentEntries_EntryId",
                        column: x => x.EntryId,
                        principalTable: "TreatmentEntries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "TreatmentReports",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EntryId = table.Column<long>(type: "INTEGER", nullable: false),
                    Percent = table.Column<int>(type: "INTEGER", nullable: false),
                    Works = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    FacilityOperation = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    ReportedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ReportedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TreatmentReports", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TreatmentReports_TreatmentEntries_EntryId",
                        column: x => x.EntryId,
                        principalTable: "TreatmentEntries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SampleValues_SampleId",
                table: "SampleValues",
                column: "SampleId");

            migrationBuilder.CreateIndex(
                name: "IX_SupervisorySamples_OutletId",
                table: "SupervisorySamples",
                column: "OutletId");

            migrationBuilder.CreateIndex(
                name: "IX_SupervisorySamples_TaskId",
                table: "SupervisorySamples",
                column: "TaskId");

            migrationBuilder.CreateIndex(
                name: "IX_SupervisoryTaskEdits_TaskId",
                table: "SupervisoryTaskEdits",
                column: "TaskId");

            migrationBuilder.CreateIndex(
                name: "IX_SupervisoryTasks_Due_DoneAtUtc",
                table: "SupervisoryTasks",
                columns: new[] { "Due", "DoneAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_SupervisoryTasks_EnterpriseId",
                table: "SupervisoryTasks",
                column: "EnterpriseId");

            migrationBuilder.CreateIndex(
                name: "IX_SupervisoryTasks_RegionId",
                table: "SupervisoryTasks",
                column: "RegionId");

            migrationBuilder.CreateIndex(
                name: "IX_SupervisoryTasks_Year_Quarter_EnterpriseId_Kind_TreatmentEntryId",
                table: "SupervisoryTasks",
                columns: new[] { "Year", "Quarter", "EnterpriseId", "Kind", "TreatmentEntryId" });

            migrationBuilder.CreateIndex(
                name: "IX_TreatmentChecks_EntryId",
                table: "TreatmentChecks",
                column: "EntryId");

            migrationBuilder.CreateIndex(
                name: "IX_TreatmentEntries_EnterpriseId",
                table: "TreatmentEntries",
                column: "EnterpriseId");

            migrationBuilder.CreateIndex(
                name: "IX_TreatmentEntries_ListId",
                table: "TreatmentEntries",
                column: "ListId");

            migrationBuilder.CreateIndex(
                name: "IX_TreatmentEntries_RegionId",
                table: "TreatmentEntries",
                column: "RegionId");

            migrationBuilder.CreateIndex(
                name: "IX_TreatmentEntries_State_Deadline",
                table: "TreatmentEntries",
                columns: new[] { "State", "Deadline" });

            migrationBuilder.CreateIndex(
                name: "IX_TreatmentLists_DocumentNumber",
                table: "TreatmentLists",
                column: "DocumentNumber",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TreatmentReports_EntryId",
                table: "TreatmentReports",
                column: "EntryId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SampleValues");

            migrationBuilder.DropTable(
                name: "SupervisoryTaskEdits");

            migrationBuilder.DropTable(
                name: "TreatmentChecks");

            migrationBuilder.DropTable(
                name: "TreatmentReports");

            migrationBuilder.DropTable(
                name: "SupervisorySamples");

            migrationBuilder.DropTable(
                name: "TreatmentEntries");

            migrationBuilder.DropTable(
                name: "SupervisoryTasks");

            migrationBuilder.DropTable(
                name: "TreatmentLists");
        }
    }
}
