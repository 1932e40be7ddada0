using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Common;
using Zongliang.Domain.Registry;
using Zongliang.Domain.Supervision;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Treatment;

/// <summary>One deadline-treatment entry: progress reports, joint spot checks, the online devices from the registry, the post-deadline monitoring and its case.</summary>
public sealed class EntryModel(ZongliangDbContext db, IAuthorizationService auth, TimeProvider clock) : PageModel
{
    public TreatmentEntry Item { get; private set; } = null!;
    public TreatmentList List { get; private set; } = null!;
    public string Enterprise { get; private set; } = "";
    public string Region { get; private set; } = "";
    public IReadOnlyList<TreatmentProgress> Reports { get; private set; } = [];
    public IReadOnlyList<TreatmentCheck> Checks { get; private set; } = [];
    public IReadOnlyList<Device> Devices { get; private set; } = [];
    public bool CanReport { get; private set; }
    public bool CanCheck { get; private set; }
    public bool SeesMonitoring { get; private set; }
    public DateOnly Today { get; private set; }

    public string? ErrorFor(string field) => ModelState.FirstError(field);

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostReportAsync(long id, int? percent, string? works, string? facility, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!CanReport) return Forbid();
        ModelState.Clear();
        var (report, outcome) = TreatmentProgress.Report(Item, percent, works, facility, User.Signer(), clock.GetUtcNow().UtcDateTime);
        if (!outcome.Succeeded)
        {
            ModelState.AddModelError(outcome.Field ?? "", outcome.Error!);
            return Page();
        }
        db.TreatmentReports.Add(report!);
        await db.SaveChangesAsync(ct);
        TempData["Notice"] = "已报送治理进展";
        return Redirect($"/Treatment/Entry/{id}");
    }

    public async Task<IActionResult> OnPostCheckAsync(long id, DateOnly? checkedOn, string? participants, string? findings, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!CanCheck) return Forbid();
        ModelState.Clear();
        var (check, outcome) = TreatmentCheck.Record(Item, checkedOn, participants, findings, User.Signer(), clock.GetUtcNow().UtcDateTime);
        if (!outcome.Succeeded)
        {
            ModelState.AddModelError(outcome.Field ?? "", outcome.Error!);
            return Page();
        }
        db.TreatmentChecks.Add(check!);
        await db.SaveChangesAsync(ct);
        TempData["Notice"] = "已记录联合抽查";
        return Redirect($"/Treatment/Entry/{id}");
    }

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        Today = BeijingTime.Today(clock);
        var found = await (from e in db.TreatmentEntries.AsNoTracking()
                           where e.Id == id
                           join l in db.TreatmentLists on e.ListId equals l.Id
                           join en in db.Enterprises on e.EnterpriseId equals en.Id
                           join r in db.Regions on e.RegionId equals r.Id
                           select new { e, l, Enterprise = en.Name, Region = r.Name }).FirstOrDefaultAsync(ct);
        if (found is null) return false;
        (Item, List, Enterprise, Region) = (found.e, found.l, found.Enterprise, found.Region);
        Reports = await db.TreatmentReports.AsNoTracking().Where(p => p.EntryId == id).OrderBy(p => p.ReportedAtUtc).ToListAsync(ct);
        Checks = await db.TreatmentChecks.AsNoTracking().Where(c => c.EntryId == id).OrderBy(c => c.CheckedOn).ToListAsync(ct);
        Devices = await db.Devices.AsNoTracking().Include(d => d.Outlet).Where(d => d.Outlet.EnterpriseId == found.e.EnterpriseId).OrderBy(d => d.Mn).ToListAsync(ct);
        CanReport = (await auth.AuthorizeAsync(User, Policies.TreatmentReport)).Succeeded;
        CanCheck = (await auth.AuthorizeAsync(User, Policies.TreatmentCheck)).Succeeded;
        SeesMonitoring = (await auth.AuthorizeAsync(User, Policies.SupervisionRead)).Succeeded;
        return true;
    }
}
