using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Access;
using Zongliang.Domain.Common;
using Zongliang.Domain.Monitoring.Comparison;
using Zongliang.Domain.Monitoring.Validity;
using Zongliang.Domain.Registry;
using Zongliang.Web.Features.Registry;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features;

public sealed class IndexModel(ZongliangDbContext db, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Ingestion.Hj212Options> hj212) : PageModel
{
    public int Networked { get; private set; }
    public IReadOnlyList<OfflineDevice> Offline { get; private set; } = [];

    public sealed record OfflineDevice(int Id, string Mn, string Enterprise, string Region, DateTime? LastSeenUtc);

    public int Enterprises { get; private set; }
    public int KeySources { get; private set; }
    public int Outlets { get; private set; }
    public string ScopeName { get; private set; } = "";
    /// <summary>For those who audit data: outlet-hours of the last 7 days still to audit, and comparison tasks past due.</summary>
    public int? PendingAudit { get; private set; }
    public int? OverdueComparisons { get; private set; }
    public (IReadOnlyList<DeviceProgressRow> Rows, DeviceProgressRow Total) Progress { get; private set; }

    /// <summary>Today's warnings (raised or still going today) by their highest level, and the region's open and overdue cases.</summary>
    public IReadOnlyDictionary<Domain.Warnings.WarningLevel, int> WarningsToday { get; private set; } = new Dictionary<Domain.Warnings.WarningLevel, int>();
    public int OpenWarnings { get; private set; }
    public int OpenCases { get; private set; }
    public int OverdueCases { get; private set; }
    public int Unread { get; private set; }
    /// <summary>This quarter's supervisory tasks done of all (null for those who do not see the plan), and the deadline-treatment entries by state.</summary>
    public (int Done, int Tasks)? PlanProgress { get; private set; }
    public IReadOnlyDictionary<Domain.Supervision.TreatmentState, int> Treatment { get; private set; } = new Dictionary<Domain.Supervision.TreatmentState, int>();
    public int TreatmentPastDeadline { get; private set; }
    public DateTime UpdatedUtc { get; private set; }

    /// <summary>The dashboard's figures alone, for the part of the page that refreshes itself.</summary>
    public async Task<IActionResult> OnGetDashboardAsync(CancellationToken ct)
    {
        await OnGetAsync(ct);
        return Partial("_Dashboard", this);
    }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var nowUtc = clock.GetUtcNow().UtcDateTime;
        UpdatedUtc = nowUtc;
        var dayStart = BeijingTime.DayStartUtc(BeijingTime.Date(nowUtc));
        WarningsToday = (await db.Warnings.Where(w => w.ClosedAtUtc == null || w.LastUtc >= dayStart || w.RaisedAtUtc >= dayStart)
                .Where(w => w.RaisedAtUtc >= dayStart || w.ClosedAtUtc == null || w.ClosedAtUtc >= dayStart)
                .GroupBy(w => w.PeakLevel).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
            .ToDictionary(x => x.Key, x => x.Count);
        OpenWarnings = await db.Warnings.CountAsync(w => w.ClosedAtUtc == null, ct);
        var todayDate = BeijingTime.Date(nowUtc);
        OpenCases = await db.LinkageCases.CountAsync(c => c.State != Domain.Warnings.CaseState.Closed, ct);
        OverdueCases = await db.LinkageCases.CountAsync(c => (c.State == Domain.Warnings.CaseState.Assigned || c.State == Domain.Warnings.CaseState.Checked) && c.Deadline < todayDate, ct);
        Unread = await db.InboxMessages.CountAsync(m => m.UserName == User.Identity!.Name && m.ReadAtUtc == null, ct);
        if (!User.IsInRole(Roles.Enterprise))
        {
            var quarter = Domain.Supervision.SupervisoryTask.QuarterOf(todayDate);
            var year = todayDate.Year;
            var tasks = await db.SupervisoryTasks.Where(t => t.Kind == Domain.Supervision.SupervisoryKind.Quarterly && t.Year == year && t.Quarter == quarter)
                .GroupBy(t => t.DoneAtUtc != null).Select(g => new { Done = g.Key, Count = g.Count() }).ToListAsync(ct);
            PlanProgress = (tasks.Where(t => t.Done).Sum(t => t.Count), tasks.Sum(t => t.Count));
        }
        Treatment = (await db.TreatmentEntries.GroupBy(e => e.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct)).ToDictionary(x => x.Key, x => x.Count);
        TreatmentPastDeadline = await db.TreatmentEntries.CountAsync(e => e.State == Domain.Supervision.TreatmentState.InProgress && e.Deadline < todayDate, ct);
        Enterprises = await db.Enterprises.CountAsync(ct);
        KeySources = await db.Enterprises.CountAsync(e => e.ControlLevel != ControlLevel.None, ct);
        Outlets = await db.Outlets.CountAsync(ct);
        Progress = await RegistryQueries.ProgressAsync(db, ct);
        // Networked devices not heard from within Hj212:OfflineAfter (or never): the offline alarm list.
        var now = clock.GetUtcNow().UtcDateTime;
        var networked = await db.Devices.Where(d => d.State == DeviceState.Networked)
            .Select(d => new { d.Id, d.Mn, Enterprise = d.Outlet.Enterprise.Name, Region = d.Outlet.Enterprise.Region.Name }).ToListAsync(ct);
        var seen = await db.DeviceStatuses.ToDictionaryAsync(s => s.DeviceId, s => s.LastSeenUtc, ct);
        Networked = networked.Count;
        Offline = networked.Select(d => new OfflineDevice(d.Id, d.Mn, d.Enterprise, d.Region, seen.TryGetValue(d.Id, out var t) ? t : null))
            .Where(d => !Zongliang.Domain.Monitoring.DeviceStatus.IsOnline(d.LastSeenUtc, now, hj212.Value.OfflineAfter))
            .OrderByDescending(d => d.LastSeenUtc).ThenBy(d => d.Region).ToList();
        ScopeName = db.Scope.Everything ? "全部" : User.FindFirst(ScopeClaims.RegionName)?.Value ?? "本单位";
        if (User.IsInRole(Roles.Admin) || User.IsInRole(Roles.CityOffice) || User.IsInRole(Roles.County) || User.IsInRole(Roles.MonitoringStation))
        {
            var since = now.AddDays(-7);
            PendingAudit = await db.HourAggregates.Where(h => h.HourUtc >= since && !h.Audited && h.Status != PeriodStatus.Stopped
                    && (h.Status == PeriodStatus.Invalid || h.Suspect != SuspectReason.None))
                .Select(h => new { h.OutletId, h.HourUtc }).Distinct().CountAsync(ct);
            var today = BeijingTime.Today(clock);
            OverdueComparisons = await db.ComparisonTasks.CountAsync(t => t.State == ComparisonState.Open && t.Due < today, ct);
        }
    }
}
