using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Common;
using Zongliang.Domain.Registry;
using Zongliang.Domain.Supervision;
using Zongliang.Domain.Warnings;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Supervision;

/// <summary>A monitoring task: its edits, the samples entered and the form for a new one (values for the factors of the chosen outlet).</summary>
[Authorize(Policy = Policies.SupervisionRead)]
public sealed class TaskModel(ZongliangDbContext db, IAuthorizationService auth, TimeProvider clock, WarningRules rules) : PageModel
{
    public SupervisoryTask Item { get; private set; } = null!;
    public string Enterprise { get; private set; } = "";
    public string Region { get; private set; } = "";
    public IReadOnlyList<Outlet> Outlets { get; private set; } = [];
    public Outlet? Chosen { get; private set; }
    public IReadOnlyList<SupervisorySample> Samples { get; private set; } = [];
    public IReadOnlyDictionary<string, (string Name, string Unit)> Factors { get; private set; } = new Dictionary<string, (string, string)>();
    public bool CanWrite { get; private set; }
    public long? EntryId { get; private set; }

    [BindProperty(SupportsGet = true)] public int? Outlet { get; set; }

    public string? ErrorFor(string field) => ModelState.FirstError(field);

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostEditAsync(long id, string? responsible, DateOnly? due, string? reason, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!CanWrite) return Forbid();
        ModelState.Clear();
        var task = await db.SupervisoryTasks.Include(t => t.Edits).FirstAsync(t => t.Id == id, ct);
        var outcome = task.Edit(responsible, due, reason, User.Signer(), clock.GetUtcNow().UtcDateTime);
        if (!outcome.Succeeded)
        {
            ModelState.AddModelError(outcome.Field ?? "", outcome.Error!);
            return Page();
        }
        await db.SaveChangesAsync(ct);
        TempData["Notice"] = "已修改任务";
        return Redirect($"/Supervision/Task/{id}");
    }

    public async Task<IActionResult> OnPostSampleAsync(long id, int outletId, DateTime? sampledAt, string? method, string? reportNumber, CancellationToken ct)
    {
        Outlet = outletId;
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!CanWrite) return Forbid();
        ModelState.Clear();
        if (Chosen is null)
        {
            ModelState.AddModelError("OutletId", "请选择该排污单位的排放口");
            return Page();
        }
        if (sampledAt is null)
        {
            ModelState.AddModelError("SampledAt", "请填写采样时间");
            return Page();
        }
        var values = new Dictionary<string, double>();
        foreach (var f in Chosen.Factors)
        {
            var text = Request.Form["v_" + f.FactorCode].ToString().Trim();
            if (text.Length == 0) continue;
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || double.IsNaN(v) || double.IsInfinity(v))
            {
                ModelState.AddModelError("v_" + f.FactorCode, "请填写数字");
                return Page();
            }
            values[f.FactorCode] = v;
        }
        var task = await db.SupervisoryTasks.FirstAsync(t => t.Id == id, ct);
        // Beijing time; one too early to convert is out of the plausible dates, which the Domain refuses.
        var utc = BeijingTime.ToUtc(sampledAt.Value) ?? DateTime.MinValue;
        var (sample, outcome) = await SupervisionService.EnterSampleAsync(db, rules, task, outletId, utc, method, reportNumber, values, User.Signer(), clock.GetUtcNow().UtcDateTime, ct);
        if (!outcome.Succeeded)
        {
            // A refused value comes back by its factor code: its message goes next to that factor's field.
            ModelState.AddModelError(outcome.Field is { } f && values.ContainsKey(f) ? "v_" + f : outcome.Field ?? "", outcome.Error!);
            return Page();
        }
        TempData["Notice"] = sample!.Exceeded ? "已录入监测结果：有因子超标，已移送监察部门" : "已录入监测结果";
        return Redirect($"/Supervision/Task/{id}");
    }

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        var found = await (from t in db.SupervisoryTasks.AsNoTracking().Include(t => t.Edits)
                           where t.Id == id
                           join r in db.Regions on t.RegionId equals r.Id
                           join e in db.Enterprises on t.EnterpriseId equals e.Id
                           select new { t, Region = r.Name, Enterprise = e.Name }).FirstOrDefaultAsync(ct);
        if (found is null) return false;
        (Item, Region, Enterprise) = (found.t, found.Region, found.Enterprise);
        EntryId = found.t.TreatmentEntryId;
        Outlets = await db.Outlets.AsNoTracking().Include(o => o.Factors).Where(o => o.EnterpriseId == found.t.EnterpriseId).OrderBy(o => o.Code).ToListAsync(ct);
        Chosen = Outlets.FirstOrDefault(o => o.Id == Outlet) ?? (Outlet is null ? Outlets.FirstOrDefault() : null);
        Samples = await db.SupervisorySamples.AsNoTracking().Include(s => s.Values).Where(s => s.TaskId == id).OrderBy(s => s.SampledAtUtc).ToListAsync(ct);
        Factors = (await db.Factors.AsNoTracking().ToListAsync(ct)).ToDictionary(f => f.Code, f => (f.Name, f.Unit));
        CanWrite = (await auth.AuthorizeAsync(User, Policies.SupervisionWrite)).Succeeded;
        return true;
    }
}
