using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Common;
using Zongliang.Domain.Registry;
using Zongliang.Domain.Supervision;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Supervision;

/// <summary>监督性监测计划: a quarter's tasks, the plan's completion per county, overdue tasks; the station generates the year's plan.</summary>
[Authorize(Policy = Policies.SupervisionRead)]
public sealed class PlanModel(ZongliangDbContext db, IAuthorizationService auth, TimeProvider clock, Domain.Warnings.WarningRules rules) : PageModel
{
    public sealed record Row(SupervisoryTask Task, string Region, string Enterprise, ControlLevel Level);
    public sealed record Completion(string Region, int Tasks, int Done, int Overdue)
    {
        public double? Rate => Tasks == 0 ? null : (double)Done / Tasks;
    }

    [BindProperty(SupportsGet = true)] public int Year { get; set; }
    [BindProperty(SupportsGet = true)] public int Quarter { get; set; }

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public IReadOnlyList<Completion> ByCounty { get; private set; } = [];
    public IReadOnlyList<Row> Overdue { get; private set; } = [];
    public bool CanWrite { get; private set; }
    public DateOnly Today { get; private set; }
    public string DefaultResponsible { get; private set; } = "";
    /// <summary>When the quarter's upward report is due, and the reports registered for it (latest last).</summary>
    public DateOnly ReportDue { get; private set; }
    public IReadOnlyList<SupervisoryReport> Reports { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostGenerateAsync(string? responsible, CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, Policies.SupervisionWrite)).Succeeded) return Forbid();
        ModelState.Clear();
        responsible = responsible?.Trim() ?? "";
        if (responsible.Length is 0 or > 32)
        {
            ModelState.AddModelError("Responsible", "请填写缺省负责人（不超过32个字），生成后可逐项调整");
            await LoadAsync(ct);
            return Page();
        }
        var added = await SupervisionService.GeneratePlanAsync(db, Year, responsible, User.Signer(), clock.GetUtcNow().UtcDateTime, ct);
        TempData["Notice"] = added > 0 ? $"已生成{Year}年度监督性监测计划，新增任务 {added} 项" : $"{Year}年度计划已包含全部重点源，没有新增任务";
        return Redirect($"/Supervision/Plan?year={Year}&quarter={Quarter}");
    }

    public async Task<IActionResult> OnPostReportedAsync(CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, Policies.SupervisionWrite)).Succeeded) return Forbid();
        ModelState.Clear();
        var rows = await SupervisionReport.RowsAsync(db, Year, Quarter, ct);
        var (report, outcome) = SupervisoryReport.Register(Year, Quarter, (int)rules.Supervisory.ReportDueDays.Value, rows.Count, User.Signer(), clock.GetUtcNow().UtcDateTime);
        if (!outcome.Succeeded)
        {
            ModelState.AddModelError("", outcome.Error!);
            await LoadAsync(ct);
            return Page();
        }
        db.SupervisoryReports.Add(report!);
        await db.SaveChangesAsync(ct);
        TempData["Notice"] = $"已登记上报 {Year}年第{Quarter}季度数据（{rows.Count} 行）{(report!.OnTime ? "" : "，已超过上报期限")}";
        return Redirect($"/Supervision/Plan?year={Year}&quarter={Quarter}");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Today = BeijingTime.Today(clock);
        if (Year is < 2000 or > 2100) Year = Today.Year;
        if (Quarter is < 1 or > 4) Quarter = SupervisoryTask.QuarterOf(Today);
        CanWrite = (await auth.AuthorizeAsync(User, Policies.SupervisionWrite)).Succeeded;
        DefaultResponsible = User.Signer();
        ReportDue = SupervisoryReport.DueOf(Year, Quarter, (int)rules.Supervisory.ReportDueDays.Value);
        Reports = await db.SupervisoryReports.AsNoTracking().Where(r => r.Year == Year && r.Quarter == Quarter).OrderBy(r => r.ReportedAtUtc).ToListAsync(ct);
        // The plan's tasks of the quarter, and the post-deadline tasks due in it (whatever year their deadline fell in).
        var (first, last) = (new DateOnly(Year, (Quarter - 1) * 3 + 1, 1), SupervisoryTask.QuarterEnd(Year, Quarter));
        var rows = await (from t in db.SupervisoryTasks.AsNoTracking()
                          where (t.Kind == SupervisoryKind.Quarterly && t.Year == Year && t.Quarter == Quarter)
                              || (t.Kind == SupervisoryKind.PostDeadline && t.Due >= first && t.Due <= last)
                          join r in db.Regions on t.RegionId equals r.Id
                          join e in db.Enterprises on t.EnterpriseId equals e.Id
                          orderby r.Code, e.Name
                          select new Row(t, r.Name, e.Name, e.ControlLevel)).ToListAsync(ct);
        Rows = rows;
        ByCounty = rows.GroupBy(r => r.Region).Select(g => new Completion(g.Key, g.Count(), g.Count(r => r.Task.DoneAtUtc != null), g.Count(r => r.Task.IsOverdue(Today))))
            .OrderBy(c => c.Region).ToList();
        Overdue = await (from t in db.SupervisoryTasks.AsNoTracking()
                         where t.DoneAtUtc == null && t.Due < Today
                         join r in db.Regions on t.RegionId equals r.Id
                         join e in db.Enterprises on t.EnterpriseId equals e.Id
                         orderby t.Due
                         select new Row(t, r.Name, e.Name, e.ControlLevel)).Take(200).ToListAsync(ct);
    }
}
