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

public sealed class EiaInput
{
    [Display(Name = "环评批复文号")]
    public string? EiaNumber { get; set; }
}

public sealed class ReviewInput
{
    [Display(Name = "审核结论")]
    public ReviewDecision Decision { get; set; } = ReviewDecision.Agree;

    [Display(Name = "审核意见")]
    public string? Opinion { get; set; }
}

/// <summary>One application: its route, the analysis every reviewer sees, the reviews so far, the review form for the office whose turn it is, and the document number once issued.</summary>
[Authorize(Policy = Policies.QuotaLedger)]
public sealed class ApplicationModel(ZongliangDbContext db, VerificationService service, IAuthorizationService auth, TimeProvider clock) : PageModel
{
    public VerificationApplication Item { get; private set; } = null!;
    public Region Region { get; private set; } = null!;
    public Analysis Analysis { get; private set; } = null!;
    public string? Document { get; private set; }
    public bool CanReview { get; private set; }
    public string? EiaNumber { get; private set; }
    public bool CanRecordEia { get; private set; }

    [BindProperty] public EiaInput Eia { get; set; } = new();

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

    /// <summary>环评审批登记: the approval desk records the EIA approval, which the gate allows only against this valid document.</summary>
    public async Task<IActionResult> OnPostEiaAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!CanRecordEia) return Forbid();
        ModelState.Clear();
        var document = await db.IssuedDocuments.AsNoTracking().FirstOrDefaultAsync(d => d.ApplicationId == id, ct);
        var (approval, outcome) = EiaApproval.Record(Item, document, Item.Project, Eia.EiaNumber, EiaNumber is not null,
            User.FindFirst(ScopeClaims.DisplayName)?.Value ?? User.Identity?.Name ?? "", clock.GetUtcNow().UtcDateTime, Domain.Common.BeijingTime.Today(clock));
        if (!outcome.Succeeded)
        {
            ModelState.AddModelError(outcome.Field == "EiaNumber" ? "Eia.EiaNumber" : "", outcome.Error!);
            return Page();
        }
        db.EiaApprovals.Add(approval!);
        await db.SaveChangesAsync(ct);
        TempData["Notice"] = "已登记环评审批";
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
        EiaNumber = await db.EiaApprovals.AsNoTracking().Where(e => e.ApplicationId == id).Select(e => e.EiaNumber).FirstOrDefaultAsync(ct);
        CanRecordEia = application.State == ApplicationState.Issued && EiaNumber is null && (await auth.AuthorizeAsync(User, Policies.QuotaWrite)).Succeeded;
        return true;
    }
}
