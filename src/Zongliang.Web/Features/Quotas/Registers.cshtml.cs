using System.ComponentModel.DataAnnotations;
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

public sealed class RegisterInput
{
    [Display(Name = "行政区")]
    [Required(ErrorMessage = "请选择行政区")]
    public int? RegionId { get; set; }

    [Display(Name = "投资主体")]
    public string? Investor { get; set; }

    [Display(Name = "类别")]
    public ListingKind Kind { get; set; } = ListingKind.Blacklist;

    [Display(Name = "文号")]
    public string? Document { get; set; }

    [Display(Name = "原因")]
    public string? Reason { get; set; }

    [Display(Name = "开始日期")]
    [Required(ErrorMessage = "请填写开始日期")]
    public DateOnly? StartOn { get; set; }
}

/// <summary>区域限批与投资主体登记: the registers refusal conditions 3 and 5 read, with imposing, lifting, listing and removing.</summary>
[Authorize(Policy = Policies.QuotaLedger)]
public sealed class RegistersModel(ZongliangDbContext db, IAuthorizationService auth, TimeProvider clock) : PageModel
{
    public IReadOnlyList<(RegionRestriction Item, string Region)> Restrictions { get; private set; } = [];
    public IReadOnlyList<(InvestorListing Item, string Region)> Listings { get; private set; } = [];
    public IReadOnlyList<Region> Regions { get; private set; } = [];
    /// <summary>Existing facilities (enterprises with a total-control quota) of the scope: quota against this year's actual emission.</summary>
    public IReadOnlyList<FacilityEmission> Facilities { get; private set; } = [];
    public bool CanWrite { get; private set; }
    public DateOnly Today { get; private set; }

    [BindProperty] public RegisterInput Input { get; set; } = new();

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Input.StartOn = Today;
    }

    public async Task<IActionResult> OnPostRestrictAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (!CanWrite) return Forbid();
        if (!ModelState.IsValid) return Page();
        var (item, outcome) = RegionRestriction.Impose(Input.RegionId!.Value, Input.Document, Input.Reason, Input.StartOn!.Value);
        return await SaveAsync(item, outcome, "已登记区域限批", ct);
    }

    public async Task<IActionResult> OnPostListAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (!CanWrite) return Forbid();
        if (!ModelState.IsValid) return Page();
        var (item, outcome) = InvestorListing.List(Input.RegionId!.Value, Input.Investor, Input.Kind, Input.Document, Input.Reason, Input.StartOn!.Value);
        return await SaveAsync(item, outcome, "已登记投资主体", ct);
    }

    public async Task<IActionResult> OnPostLiftAsync(int id, string? liftDocument, CancellationToken ct)
    {
        await LoadAsync(ct);
        if (!CanWrite) return Forbid();
        var item = await db.RegionRestrictions.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (item is null) return NotFound();
        return await ChangeAsync(item.Lift(Today, liftDocument, Today), "已解除区域限批", ct);
    }

    public async Task<IActionResult> OnPostRemoveAsync(int id, CancellationToken ct)
    {
        await LoadAsync(ct);
        if (!CanWrite) return Forbid();
        var item = await db.InvestorListings.FirstOrDefaultAsync(l => l.Id == id, ct);
        if (item is null) return NotFound();
        return await ChangeAsync(item.Remove(Today, Today), "已移出", ct);
    }

    private async Task<IActionResult> SaveAsync(object? item, Outcome outcome, string notice, CancellationToken ct)
    {
        if (!outcome.Succeeded)
        {
            ModelState.AddModelError($"Input.{outcome.Field}", outcome.Error!);
            return Page();
        }
        if (Regions.All(r => r.Id != Input.RegionId))
        {
            ModelState.AddModelError("Input.RegionId", "只能登记本辖区的行政区");
            return Page();
        }
        db.Add(item!);
        await db.SaveChangesAsync(ct);
        TempData["Notice"] = notice;
        return Redirect("/Quotas/Registers");
    }

    private async Task<IActionResult> ChangeAsync(Outcome outcome, string notice, CancellationToken ct)
    {
        ModelState.Clear();
        if (!outcome.Succeeded)
        {
            ModelState.AddModelError("", outcome.Error!);
            return Page();
        }
        await db.SaveChangesAsync(ct);
        TempData["Notice"] = notice;
        return Redirect("/Quotas/Registers");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Today = BeijingTime.Today(clock);
        CanWrite = (await auth.AuthorizeAsync(User, Policies.QuotaWrite)).Succeeded;
        var scope = db.Scope;
        var regions = await db.Regions.AsNoTracking().OrderBy(r => r.Code).ToListAsync(ct);
        Regions = regions.Where(r => r.IsCountyLevel && scope.CoversRegion(r.Path)).ToList();
        var names = regions.ToDictionary(r => r.Id, r => r.Name);
        Restrictions = (await db.RegionRestrictions.AsNoTracking().OrderByDescending(r => r.StartOn).ToListAsync(ct)).Select(r => (r, names[r.RegionId])).ToList();
        var investors = await db.EnterpriseQuotas.AsNoTracking().Where(q => q.Year == Today.Year)
            .Join(db.Enterprises, q => q.EnterpriseId, e => e.Id, (q, e) => e.Name).Distinct().OrderBy(n => n).Take(200).ToListAsync(ct);
        var facilities = new List<FacilityEmission>();
        foreach (var investor in investors)
            facilities.AddRange(await RefusalEvidence.FacilitiesAsync(db, investor, Today.Year, ct));
        // An investor's enterprises in other counties are not this user's to see.
        Facilities = facilities.Where(f => f.InScope).OrderByDescending(f => f.Actual is { } a && a > f.Quota).ThenBy(f => f.Enterprise).ToList();
        Listings = (await db.InvestorListings.AsNoTracking().OrderByDescending(l => l.StartOn).ToListAsync(ct)).Select(l => (l, names[l.RegionId])).ToList();
    }
}
