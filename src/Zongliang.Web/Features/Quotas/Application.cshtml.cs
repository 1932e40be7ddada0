using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Quotas;
using Zongliang.Domain.Registry;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Quotas;

public sealed class ReviewInput
{
    [Display(Name = "审核结论")]
    public ReviewDecision Decision { get; set; } = ReviewDecision.Agree;

    [Display(Name = "审核意见")]
    public string? Opinion { get; set; }
}

/// <summary>One application: its route, the analysis every reviewer sees, the reviews so far, the review form for the office whose turn it is, and the document number once issued.</summary>
[Authorize(Policy = Policies.QuotaLedger)]
public sealed class ApplicationModel(ZongliangDbContext db, VerificationService service) : PageModel
{
    public VerificationApplication Item { get; private set; } = null!;
    public Region Region { get; private set; } = null!;
    public Analysis Analysis { get; private set; } = null!;
    public string? Document { get; private set; }
    public bool CanReview { get; private set; }

    [BindProperty] public ReviewInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!CanReview) return Forbid();
        var outcome = await service.ReviewAsync(db, Item, Item.CurrentOffice!, Input.Decision, Input.Opinion,
            User.FindFirst(ScopeClaims.DisplayName)?.Value ?? User.Identity?.Name ?? "", ct);
        if (!outcome.Succeeded)
        {
            ModelState.AddModelError(outcome.Field is { } f ? $"Input.{f}" : "", outcome.Error!);
            await LoadAsync(id, ct);
            return Page();
        }
        TempData["Notice"] = "已提交审核意见";
        return Redirect($"/Quotas/Application/{id}");
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var application = await db.VerificationApplications.Include(a => a.Amounts).Include(a => a.Steps).FirstOrDefaultAsync(a => a.Id == id, ct);
        if (application is null) return false;
        Item = application;
        Region = await db.Regions.AsNoTracking().FirstAsync(r => r.Id == application.RegionId, ct);
        Analysis = await service.AnalyseAsync(db, application, ct);
        if (application.State == ApplicationState.Issued)
            Document = application.DocumentText(VerificationService.Prefix(await VerificationService.IssuerRegionAsync(db, application, ct)));
        CanReview = application.CurrentOffice is { } office && VerificationService.ActsFor(User, office);
        return true;
    }
}
