using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Common;
using Zongliang.Domain.Quotas;
using Zongliang.Domain.Registry;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Quotas;

public sealed class ConfirmInput
{
    [Display(Name = "完成日期")]
    [Required(ErrorMessage = "请填写完成日期")]
    public DateOnly? On { get; set; }

    [Display(Name = "确认依据")]
    public string? Evidence { get; set; }
}

public sealed class MeasureInput
{
    [Display(Name = "类型")]
    public MeasureType Type { get; set; } = MeasureType.Structural;

    [Display(Name = "措施内容")]
    public string? Description { get; set; }

    [Display(Name = "削减量（吨/年）")]
    public decimal Amount { get; set; }

    [Display(Name = "完成期限")]
    [Required(ErrorMessage = "请填写完成期限")]
    public DateOnly? Deadline { get; set; }

    [Display(Name = "涉及排污单位")]
    public int? EnterpriseId { get; set; }
}

/// <summary>A region's ledger for a year and pollutant with every entry and its source, the monthly trend of the monitored mass, and confirmation of reduction measures.</summary>
[Authorize(Policy = Policies.QuotaLedger)]
public sealed class RegionModel(ZongliangDbContext db, IAuthorizationService auth, TimeProvider clock) : PageModel
{
    public Region Item { get; private set; } = null!;
    public int Year { get; private set; }
    public string Pollutant { get; private set; } = "cod";
    public RegionTarget? Target { get; private set; }
    public LedgerLine? Line { get; private set; }
    public IReadOnlyList<ReductionMeasure> Measures { get; private set; } = [];
    public IReadOnlyList<QuotaIncrement> Increments { get; private set; } = [];
    public string TrendJson { get; private set; } = "{}";
    /// <summary>Refusal conditions 1–4 for this region now (condition 1 for a project of zero tonnes: the headroom itself).</summary>
    public IReadOnlyList<RefusalFinding> Findings { get; private set; } = [];
    public IReadOnlyList<RegionRestriction> Restrictions { get; private set; } = [];
    public bool CanConfirm { get; private set; }
    public DateOnly Today { get; private set; }

    [BindProperty] public ConfirmInput Input { get; set; } = new();
    [BindProperty] public MeasureInput Measure { get; set; } = new();
    public IReadOnlyList<(int Id, string Name)> Enterprises { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int id, int? year, string? pollutant, CancellationToken ct) =>
        await LoadAsync(id, year, pollutant, ct) ? Page() : NotFound();

    /// <summary>削减措施登记: a new measure of this region, pollutant and year, pending until confirmed with evidence.</summary>
    public async Task<IActionResult> OnPostMeasureAsync(int id, int? year, string? pollutant, CancellationToken ct)
    {
        if (!await LoadAsync(id, year, pollutant, ct)) return NotFound();
        if (!CanConfirm) return Forbid();
        ModelState.KeepOnly("Measure.");
        if (Measure.EnterpriseId is { } chosen && Enterprises.All(e => e.Id != chosen))
            ModelState.AddModelError("Measure.EnterpriseId", "请选择本区域的排污单位");
        if (!ModelState.IsValid) return Page();
        var (measure, outcome) = ReductionMeasure.Register(id, Measure.EnterpriseId, Pollutant, Year, Measure.Type, Measure.Description, Measure.Amount, Measure.Deadline!.Value);
        if (!outcome.Succeeded)
        {
            ModelState.AddModelError($"Measure.{outcome.Field}", outcome.Error!);
            return Page();
        }
        db.ReductionMeasures.Add(measure!);
        await db.SaveChangesAsync(ct);
        TempData["Notice"] = $"已登记削减措施：{measure!.Description}";
        return Redirect($"/Quotas/Region/{id}?year={Year}&pollutant={Pollutant}");
    }

    public async Task<IActionResult> OnPostConfirmAsync(int id, int measureId, int? year, string? pollutant, CancellationToken ct)
    {
        if (!await LoadAsync(id, year, pollutant, ct)) return NotFound();
        if (!CanConfirm) return Forbid();
        var measure = await db.ReductionMeasures.FirstOrDefaultAsync(m => m.Id == measureId && m.RegionId == id, ct);
        if (measure is null) return NotFound();
        ModelState.KeepOnly("Input.");
        if (!ModelState.IsValid) return Page();
        var outcome = measure.Confirm(Input.On!.Value, Input.Evidence ?? "", Today);
        if (!outcome.Succeeded)
        {
            ModelState.AddModelError(outcome.Field is { } f ? $"Input.{(f == "ConfirmedOn" ? "On" : f)}" : "", outcome.Error!);
            return Page();
        }
        await db.SaveChangesAsync(ct);
        TempData["Notice"] = $"已确认削减措施：{measure.Description}";
        return Redirect($"/Quotas/Region/{id}?year={Year}&pollutant={Pollutant}");
    }

    private async Task<bool> LoadAsync(int id, int? year, string? pollutant, CancellationToken ct)
    {
        Today = BeijingTime.Today(clock);
        Year = year is >= 2000 and <= 2100 ? year.Value : Today.Year;
        Pollutant = pollutant is { } p && Pollutants.All.Contains(p) ? p : "cod";
        var (y, pol) = (Year, Pollutant);
        Target = await db.RegionTargets.AsNoTracking().FirstOrDefaultAsync(t => t.RegionId == id && t.Year == y && t.Pollutant == pol, ct);
        // The target's query filter is the region scope: no target visible, no page (a region outside the scope looks absent).
        var region = Target is null ? null : await db.Regions.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (region is null) return false;
        Item = region;
        Measures = await db.ReductionMeasures.AsNoTracking().Where(m => m.RegionId == id && m.Year == y && m.Pollutant == pol).OrderBy(m => m.Type).ThenBy(m => m.Deadline).ToListAsync(ct);
        Increments = await db.QuotaIncrements.AsNoTracking().Where(i => i.RegionId == id && i.Year == y && i.Pollutant == pol).OrderBy(i => i.Status).ThenBy(i => i.Project).ToListAsync(ct);
        Line = LedgerLine.For(Target!, Increments, Measures);
        var months = await LedgerQueries.MonthlyTonnesAsync(db, id, y, pol, ct);
        TrendJson = JsonSerializer.Serialize(new { months = Enumerable.Range(1, 12).Select(m => $"{m}月"), tonnes = months });
        CanConfirm = (await auth.AuthorizeAsync(User, Policies.QuotaWrite)).Succeeded;
        Enterprises = (await db.Enterprises.AsNoTracking().Where(e => e.RegionId == id).OrderBy(e => e.Name).Select(e => new { e.Id, e.Name }).ToListAsync(ct))
            .Select(e => (e.Id, e.Name)).ToList();
        Restrictions = await db.RegionRestrictions.AsNoTracking().Where(r => r.RegionId == id).OrderByDescending(r => r.StartOn).ToListAsync(ct);
        Findings = RefusalChecks.ForRegion(Line, 0, Restrictions, Measures, Today, await RefusalEvidence.ReboundsAsync(db, Measures, ct));
        return true;
    }
}
