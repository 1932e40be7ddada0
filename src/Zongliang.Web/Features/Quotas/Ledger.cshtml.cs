using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Zongliang.Data;
using Zongliang.Domain.Common;
using Zongliang.Domain.Quotas;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Quotas;

public sealed class TargetInput
{
    [Display(Name = "行政区")]
    [Required(ErrorMessage = "请选择行政区")]
    public int? RegionId { get; set; }

    [Display(Name = "基准年")]
    public int BaseYear { get; set; }

    [Display(Name = "基准年排放量（吨）")]
    public decimal BaseTotal { get; set; }

    [Display(Name = "减排比例（%）")]
    public decimal ReductionPercent { get; set; }

    [Display(Name = "现状排放量（吨）")]
    public decimal CurrentTotal { get; set; }

    [Display(Name = "数据来源")]
    public string? Source { get; set; }
}

/// <summary>总量台账: each county's ledger line for a year and pollutant, and the city as their sum.</summary>
[Authorize(Policy = Policies.QuotaLedger)]
public sealed class LedgerModel(ZongliangDbContext db, TimeProvider clock) : PageModel
{
    [BindProperty] public TargetInput Target { get; set; } = new();
    /// <summary>County-level regions of the scope without a target for the year and pollutant: where one can be set.</summary>
    public IReadOnlyList<Zongliang.Domain.Registry.Region> Missing { get; private set; } = [];
    public bool CanSet { get; private set; }

    /// <summary>设定总量目标 (city office, administrators): a county's target for the shown year and pollutant.</summary>
    public async Task<IActionResult> OnPostAsync(int? year, string? pollutant, CancellationToken ct)
    {
        await OnGetAsync(year, pollutant, ct);
        if (!CanSet) return Forbid();
        if (Target.RegionId is { } chosen && Missing.All(r => r.Id != chosen))
            ModelState.AddModelError("Target.RegionId", "该行政区已有本年度目标，或不在本辖区");
        if (!ModelState.IsValid) return Page();
        var (target, outcome) = RegionTarget.Set(Target.RegionId!.Value, Pollutant, Year, Target.BaseYear, Target.BaseTotal, Target.ReductionPercent, Target.CurrentTotal, Target.Source);
        if (!outcome.Succeeded)
        {
            ModelState.AddModelError($"Target.{outcome.Field}", outcome.Error!);
            return Page();
        }
        db.RegionTargets.Add(target!);
        await db.SaveChangesAsync(ct);
        TempData["Notice"] = "已设定总量目标";
        return Redirect($"/Quotas/Ledger?year={Year}&pollutant={Pollutant}");
    }

    public int Year { get; private set; }
    public string Pollutant { get; private set; } = "cod";
    public IReadOnlyList<LedgerRow> Rows { get; private set; } = [];
    public LedgerLine? City { get; private set; }

    public async Task OnGetAsync(int? year, string? pollutant, CancellationToken ct)
    {
        Year = year is >= 2000 and <= 2100 ? year.Value : BeijingTime.Today(clock).Year;
        Pollutant = pollutant is { } p && Pollutants.All.Contains(p) ? p : "cod";
        (var rows, City) = await LedgerQueries.LinesAsync(db, Year, Pollutant, ct);
        Rows = rows;
        CanSet = User.IsInRole(Zongliang.Domain.Access.Roles.Admin) || User.IsInRole(Zongliang.Domain.Access.Roles.CityOffice);
        var scope = db.Scope;
        var have = rows.Select(r => r.Region.Id).ToHashSet();
        Missing = (await db.Regions.AsNoTracking().OrderBy(r => r.Code).ToListAsync(ct))
            .Where(r => r.IsCountyLevel && scope.CoversRegion(r.Path) && !have.Contains(r.Id)).ToList();
        if (Target.BaseYear == 0)
            Target.BaseYear = Year - 1;
    }

    public static string T(decimal v) => v.ToString("#,0.0", CultureInfo.InvariantCulture);

    public static string Percent(decimal? v) => v is { } x ? (x * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "—";
}
