using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Monitoring.Validity;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Monitoring;

/// <summary>审核工作台: the invalid and suspect hours of the user's region not yet audited, newest first; each opens the outlet page with the decision form.</summary>
[Authorize(Policy = Policies.DataAudit)]
public sealed class WorkbenchModel(ZongliangDbContext db, TimeProvider clock) : PageModel
{
    public sealed record Row(int OutletId, string Enterprise, string Region, string Outlet, string FactorCode, string Factor, DateTime HourUtc,
        PeriodStatus Status, SuspectReason Suspect, int ValidCount, int Expected);

    /// <summary>One outlet-hour with the factors that need a look, as the auditor decides them: together.</summary>
    public sealed record Group(int OutletId, string Region, string Enterprise, string Outlet, DateTime HourUtc, bool AnyInvalid, IReadOnlyList<Row> Factors);

    public IReadOnlyList<Group> Groups { get; private set; } = [];
    public int Days { get; private set; }
    public string Kind { get; private set; } = "";
    public const int Limit = 300;

    public async Task OnGetAsync(int? days, string? kind, CancellationToken ct)
    {
        Days = days is >= 1 and <= 31 ? days.Value : 7;
        Kind = kind is "invalid" or "suspect" ? kind : "";
        var since = ValidityEngine.TruncateHour(clock.GetUtcNow().UtcDateTime).AddDays(-Days);
        var hours = db.HourAggregates.AsNoTracking().Where(h => h.HourUtc >= since && !h.Audited && h.Status != PeriodStatus.Stopped
            && (h.Status == PeriodStatus.Invalid || h.Suspect != SuspectReason.None));
        if (Kind == "invalid") hours = hours.Where(h => h.Status == PeriodStatus.Invalid);
        if (Kind == "suspect") hours = hours.Where(h => h.Status == PeriodStatus.Valid);
        var rows = await (from h in hours
                      join o in db.Outlets on h.OutletId equals o.Id
                      join f in db.Factors on h.FactorCode equals f.Code
                      orderby h.HourUtc descending, o.Id, h.FactorCode
                      select new Row(o.Id, o.Enterprise.Name, o.Enterprise.Region.Name, o.Code + " " + o.Name, h.FactorCode, f.Name, h.HourUtc,
                          h.Status, h.Suspect, h.ValidCount, h.Expected))
            .Take(Limit * 10).ToListAsync(ct);
        Groups = rows.GroupBy(r => (r.OutletId, r.HourUtc))
            .Select(g => new Group(g.Key.OutletId, g.First().Region, g.First().Enterprise, g.First().Outlet, g.Key.HourUtc,
                g.Any(r => r.Status == PeriodStatus.Invalid), g.OrderBy(r => r.Status).ThenBy(r => r.FactorCode).ToList()))
            .Take(Limit).ToList();
    }
}
