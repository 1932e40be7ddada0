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

/// <summary>限期治理: the lists issued, each entry with its deadline, days left, progress, online devices and status.</summary>
public sealed class IndexModel(ZongliangDbContext db, IAuthorizationService auth, TimeProvider clock) : PageModel
{
    public sealed record Row(TreatmentEntry Entry, string Document, string Enterprise, string Region, int? Percent, int Devices, int Networked);

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public IReadOnlyList<TreatmentList> Lists { get; private set; } = [];
    public IReadOnlyList<(int Id, string Name)> Enterprises { get; private set; } = [];
    public bool CanIssue { get; private set; }
    public DateOnly Today { get; private set; }

    public string? ErrorFor(string field) => ModelState.FirstError(field);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostIssueAsync(string? documentNumber, string? title, DateOnly? issuedOn, CancellationToken ct)
    {
        await LoadAsync(ct);
        if (!CanIssue) return Forbid();
        ModelState.Clear();
        var (list, outcome) = TreatmentList.Issue(documentNumber, title, issuedOn, User.Signer(), clock.GetUtcNow().UtcDateTime);
        if (outcome.Succeeded && await db.TreatmentLists.AnyAsync(l => l.DocumentNumber == list!.DocumentNumber, ct))
            outcome = Outcome.Refuse("该文号的名单已存在", "DocumentNumber");
        if (!outcome.Succeeded)
        {
            ModelState.AddModelError(outcome.Field ?? "", outcome.Error!);
            return Page();
        }
        db.TreatmentLists.Add(list!);
        await db.SaveChangesAsync(ct);
        TempData["Notice"] = $"已登记名单 {list!.DocumentNumber}，请逐一添加治理条目";
        return Redirect("/Treatment");
    }

    public async Task<IActionResult> OnPostAddAsync(long listId, int? enterpriseId, string? problem, DateOnly? deadline, string? measures, string? project, CancellationToken ct)
    {
        await LoadAsync(ct);
        if (!CanIssue) return Forbid();
        ModelState.Clear();
        var list = await db.TreatmentLists.FirstOrDefaultAsync(l => l.Id == listId, ct);
        var enterprise = enterpriseId is { } id ? await db.Enterprises.FirstOrDefaultAsync(e => e.Id == id, ct) : null;
        if (list is null) ModelState.AddModelError("ListId", "请选择名单");
        if (enterprise is null) ModelState.AddModelError("EnterpriseId", "请选择本辖区的排污单位");
        if (!ModelState.IsValid) return Page();
        var (entry, outcome) = TreatmentEntry.Add(list!, enterprise!.Id, enterprise.RegionId, problem, deadline, measures, project);
        if (!outcome.Succeeded)
        {
            ModelState.AddModelError(outcome.Field ?? "", outcome.Error!);
            return Page();
        }
        db.TreatmentEntries.Add(entry!);
        await db.SaveChangesAsync(ct);
        TempData["Notice"] = $"已将 {enterprise.Name} 列入 {list!.DocumentNumber}";
        return Redirect("/Treatment");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Today = BeijingTime.Today(clock);
        CanIssue = (await auth.AuthorizeAsync(User, Policies.TreatmentIssue)).Succeeded;
        Lists = await db.TreatmentLists.AsNoTracking().OrderByDescending(l => l.IssuedOn).ToListAsync(ct);
        if (CanIssue)
            Enterprises = (await db.Enterprises.AsNoTracking().OrderBy(e => e.RegionId).ThenBy(e => e.Name).Select(e => new { e.Id, e.Name }).ToListAsync(ct))
                .Select(e => (e.Id, e.Name)).ToList();
        var entries = await (from e in db.TreatmentEntries.AsNoTracking()
                             join l in db.TreatmentLists on e.ListId equals l.Id
                             join en in db.Enterprises on e.EnterpriseId equals en.Id
                             join r in db.Regions on e.RegionId equals r.Id
                             orderby e.State, e.Deadline
                             select new { e, l.DocumentNumber, Enterprise = en.Name, Region = r.Name }).ToListAsync(ct);
        var ids = entries.Select(x => x.e.Id).ToList();
        var latest = (await db.TreatmentReports.AsNoTracking().Where(p => ids.Contains(p.EntryId)).ToListAsync(ct))
            .GroupBy(p => p.EntryId).ToDictionary(g => g.Key, g => g.OrderBy(p => p.ReportedAtUtc).Last().Percent);
        var enterpriseIds = entries.Select(x => x.e.EnterpriseId).Distinct().ToList();
        var devices = (await db.Devices.AsNoTracking().Where(d => enterpriseIds.Contains(d.Outlet.EnterpriseId)).Select(d => new { d.Outlet.EnterpriseId, d.State }).ToListAsync(ct))
            .GroupBy(d => d.EnterpriseId).ToDictionary(g => g.Key, g => (g.Count(), g.Count(d => d.State == DeviceState.Networked)));
        Rows = entries.Select(x => new Row(x.e, x.DocumentNumber, x.Enterprise, x.Region, latest.TryGetValue(x.e.Id, out var p) ? p : null,
            devices.GetValueOrDefault(x.e.EnterpriseId).Item1, devices.GetValueOrDefault(x.e.EnterpriseId).Item2)).ToList();
    }
}
