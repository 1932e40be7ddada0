using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Registry;
using Zongliang.Domain.Warnings;
using Zongliang.Web.Features.Registry;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Warnings;

/// <summary>预警: the warnings of the user's region (or enterprise), open ones first; hand one to inspection, or dismiss a suspicion.</summary>
public sealed class IndexModel(ZongliangDbContext db, IAuthorizationService auth, TimeProvider clock) : RegistryListPage(db)
{
    public sealed record Row(Warning Warning, string Region, string Enterprise);

    [BindProperty(SupportsGet = true)] public string Show { get; set; } = "open";
    [BindProperty(SupportsGet = true)] public WarningKind? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public WarningLevel? Level { get; set; }
    [BindProperty(SupportsGet = true)] public int? EnterpriseId { get; set; }
    [BindProperty(SupportsGet = true)] public long? Id { get; set; }

    public Paged<Row> Result { get; private set; } = null!;
    public PagerModel PagerInfo { get; private set; } = null!;
    public bool CanOpenCase { get; private set; }
    public bool CanDismiss { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCaseAsync(long warningId, CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, Policies.CaseOpen)).Succeeded) return Forbid();
        var w = await Db.Warnings.FirstOrDefaultAsync(x => x.Id == warningId, ct);
        if (w is null) return NotFound();
        if (w.CaseId is { } existing)
            return Redirect(CaseService.Link(existing));
        if (w.EnterpriseId is null)
        {
            TempData["Notice"] = "区域总量预警不对应排污单位，请通过总量台账处理";
            return Redirect("/Warnings");
        }
        var c = await CaseService.OpenFromWarningAsync(Db, w, User.Signer(), clock.GetUtcNow().UtcDateTime, ct);
        TempData["Notice"] = $"已移送监察部门，联动案件 {c.Id}";
        return Redirect(CaseService.Link(c.Id));
    }

    public async Task<IActionResult> OnPostDismissAsync(long warningId, string? reason, CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, Policies.CaseHandle)).Succeeded && !(await auth.AuthorizeAsync(User, Policies.CaseConfirm)).Succeeded) return Forbid();
        var w = await Db.Warnings.FirstOrDefaultAsync(x => x.Id == warningId, ct);
        if (w is null) return NotFound();
        reason = reason?.Trim() ?? "";
        var error = w.Kind != WarningKind.Suspicion || !w.IsOpen || w.CaseId is not null ? "只能排除尚未移送的疑点"
            : reason.Length < 4 ? "排除疑点须写明理由（至少4个字）" : null;
        if (error is not null)
        {
            ModelState.Clear();
            ModelState.AddModelError("", error);
            PageNumber = 1;
            await LoadAsync(ct);
            return Page();
        }
        w.Close($"人工排除（{User.Signer()}）：{reason}", clock.GetUtcNow().UtcDateTime);
        // Warnings are derived data and not audited as rows; a person's dismissal is.
        Data.Auditing.AuditLog.Add(Db, clock.GetUtcNow().UtcDateTime, Db.Scope.Actor, "Warning", w.Id.ToString(global::System.Globalization.CultureInfo.InvariantCulture), "Dismissed", new { reason });
        await Db.SaveChangesAsync(ct);
        TempData["Notice"] = "已排除该疑点";
        return Redirect("/Warnings");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        await LoadRegionsAsync(ct);
        CanOpenCase = (await auth.AuthorizeAsync(User, Policies.CaseOpen)).Succeeded;
        CanDismiss = (await auth.AuthorizeAsync(User, Policies.CaseHandle)).Succeeded || (await auth.AuthorizeAsync(User, Policies.CaseConfirm)).Succeeded;
        var q = Db.Warnings.AsNoTracking().AsQueryable();
        if (Id is { } id) q = q.Where(w => w.Id == id);
        else
        {
            if (Show == "open") q = q.Where(w => w.ClosedAtUtc == null);
            if (Show == "today")
            {
                var since = Domain.Common.BeijingTime.DayStartUtc(Domain.Common.BeijingTime.Today(clock));
                q = q.Where(w => w.RaisedAtUtc >= since || w.LastUtc >= since);
            }
            if (Kind is { } k) q = q.Where(w => w.Kind == k);
            if (Level is { } l) q = q.Where(w => w.PeakLevel == l);
            if (EnterpriseId is { } e) q = q.Where(w => w.EnterpriseId == e);
            if (RegionId is { } r)
            {
                var path = await Db.Regions.Where(x => x.Id == r).Select(x => x.Path).FirstOrDefaultAsync(ct) ?? "\0";
                q = q.Where(w => Db.Regions.Any(x => x.Id == w.RegionId && x.Path.StartsWith(path)));
            }
        }
        var rows = from w in q
                   join region in Db.Regions on w.RegionId equals region.Id
                   join en in Db.Enterprises on w.EnterpriseId equals en.Id into ens
                   from en in ens.DefaultIfEmpty()
                   orderby w.ClosedAtUtc == null descending, w.PeakLevel descending, w.LastUtc descending, w.Id descending
                   select new Row(w, region.Name, en == null ? "" : en.Name);
        Result = await Paged<Row>.CreateAsync(rows, PageNumber, 30, ct);
        PagerInfo = Pager(Result);
    }
}
