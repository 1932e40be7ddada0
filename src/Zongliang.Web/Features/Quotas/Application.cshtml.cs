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

public sealed class AcceptanceInput
{
    [Display(Name = "建成后的排污单位")]
    [Required(ErrorMessage = "请选择排污单位")]
    public int? EnterpriseId { get; set; }

    [Display(Name = "监测期开始")]
    [Required(ErrorMessage = "请填写开始日期")]
    public DateOnly? From { get; set; }

    [Display(Name = "监测期结束")]
    [Required(ErrorMessage = "请填写结束日期")]
    public DateOnly? To { get; set; }
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
    public int StepDays => service.Routing.DaysPerStep;
    public IReadOnlyList<(int Id, string FileName, int Size, string UploadedBy, DateTime At)> Attachments { get; private set; } = [];
    public bool CanAttach { get; private set; }
    public bool Overdue { get; private set; }
    public string? EiaNumber { get; private set; }
    public bool CanRecordEia { get; private set; }

    [BindProperty] public EiaInput Eia { get; set; } = new();
    [BindProperty] public AcceptanceInput Acceptance { get; set; } = new();
    public AcceptanceCheck? LastAcceptance { get; private set; }
    public IReadOnlyList<(int Id, string Name)> Enterprises { get; private set; } = [];
    public bool CanAccept { get; private set; }

    [BindProperty] public ReviewInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!CanReview) return Forbid();
        var outcome = await service.ReviewAsync(db, Item, Item.CurrentOffice!, Input.Decision, Input.Opinion,
            User.Signer(), ct);
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
            User.Signer(), clock.GetUtcNow().UtcDateTime, Domain.Common.BeijingTime.Today(clock));
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

    /// <summary>竣工验收核查 (Q5): actual emissions from the enterprise's monitoring data, annualised from valid days, against the verified totals.</summary>
    public async Task<IActionResult> OnPostAcceptAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!CanAccept) return Forbid();
        ModelState.KeepOnly("Acceptance.");
        if (Acceptance.EnterpriseId is { } chosen && Enterprises.All(e => e.Id != chosen))
            ModelState.AddModelError("Acceptance.EnterpriseId", "请选择本区域的排污单位");
        if (!ModelState.IsValid) return Page();
        var (first, last, enterpriseId) = (Acceptance.From!.Value, Acceptance.To!.Value, Acceptance.EnterpriseId!.Value);
        // The enterprise is one of the region's (checked above).
        var monitored = new Dictionary<string, (decimal, int)>();
        foreach (var amount in Item.Amounts)
            monitored[amount.Pollutant] = await RefusalEvidence.ValidMassAsync(db, enterpriseId, amount.Pollutant, first, last, ct);
        var (check, outcome) = AcceptanceCheck.Run(Item, enterpriseId, first, last, monitored,
            User.Signer(), clock.GetUtcNow().UtcDateTime, Domain.Common.BeijingTime.Today(clock));
        if (!outcome.Succeeded)
        {
            ModelState.AddModelError($"Acceptance.{outcome.Field}", outcome.Error!);
            return Page();
        }
        db.AcceptanceChecks.Add(check!);
        if (check!.Passed && Document is { } number)
        {
            // The final emissions enter the ledger: the project's increments become operating, at their actual figure.
            var increments = await db.QuotaIncrements.Where(i => i.Source.StartsWith(number)).ToListAsync(ct);
            foreach (var increment in increments)
                if (check.Lines.FirstOrDefault(l => l.Pollutant == increment.Pollutant)?.Actual is { } actual)
                    increment.Operate(actual, $"竣工验收实测 {first:yyyy-MM-dd}至{last:yyyy-MM-dd}");
        }
        await db.SaveChangesAsync(ct);
        TempData["Notice"] = check.Passed ? "验收核查通过：实际排放量未超过核定总量" : "验收核查不通过";
        return Redirect($"/Quotas/Application/{id}");
    }

    /// <summary>附件: the applicant's documents (EIA excerpt, offset evidence), kept with the case.</summary>
    public async Task<IActionResult> OnPostAttachAsync(int id, IFormFile? file, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!CanAttach) return Forbid();
        ModelState.Clear();
        if (file is { Length: > ApplicationAttachment.MaxBytes })
        {
            ModelState.AddModelError("File", "附件不能超过 10 MB");
            return Page();
        }
        using var buffer = new MemoryStream();
        if (file is not null)
            await file.CopyToAsync(buffer, ct);
        var (attachment, outcome) = ApplicationAttachment.Add(Item, file?.FileName, buffer.ToArray(),
            User.Signer(), clock.GetUtcNow().UtcDateTime);
        if (!outcome.Succeeded)
        {
            ModelState.AddModelError("File", outcome.Error!);
            return Page();
        }
        db.ApplicationAttachments.Add(attachment!);
        Data.Auditing.AuditLog.Add(db, clock.GetUtcNow().UtcDateTime, db.Scope.Actor, "ApplicationAttachment", $"{id}", "Uploaded", new { file = attachment!.FileName, bytes = buffer.Length });
        await db.SaveChangesAsync(ct);
        TempData["Notice"] = $"已上传附件：{attachment!.FileName}";
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
        Overdue = application.IsOverdue(Domain.Common.BeijingTime.Today(clock), StepDays);
        Attachments = (await db.ApplicationAttachments.AsNoTracking().Where(x => x.ApplicationId == id).OrderBy(x => x.UploadedAtUtc)
                .Select(x => new { x.Id, x.FileName, x.Size, x.UploadedBy, x.UploadedAtUtc }).ToListAsync(ct))
            .Select(x => (x.Id, x.FileName, x.Size, x.UploadedBy, x.UploadedAtUtc)).ToList();
        CanAttach = application.State is ApplicationState.UnderReview or ApplicationState.Returned
            && (User.IsInRole(Domain.Access.Roles.County) || User.IsInRole(Domain.Access.Roles.Admin));
        EiaNumber = await db.EiaApprovals.AsNoTracking().Where(e => e.ApplicationId == id).Select(e => e.EiaNumber).FirstOrDefaultAsync(ct);
        var canWrite = (await auth.AuthorizeAsync(User, Policies.QuotaWrite)).Succeeded;
        CanRecordEia = application.State == ApplicationState.Issued && EiaNumber is null && canWrite;
        CanAccept = application.State == ApplicationState.Issued && canWrite;
        LastAcceptance = await db.AcceptanceChecks.AsNoTracking().Include(c => c.Lines).Where(c => c.ApplicationId == id).OrderByDescending(c => c.CheckedAtUtc).FirstOrDefaultAsync(ct);
        var regionId = application.RegionId;
        Enterprises = (await db.Enterprises.AsNoTracking().Where(e => e.RegionId == regionId).OrderBy(e => e.Name).Select(e => new { e.Id, e.Name }).ToListAsync(ct))
            .Select(e => (e.Id, e.Name)).ToList();
        return true;
    }
}
