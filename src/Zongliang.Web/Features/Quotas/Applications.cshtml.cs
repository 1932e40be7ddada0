using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Access;
using Zongliang.Domain.Quotas;
using Zongliang.Domain.Registry;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Quotas;

public sealed class ApplicationInput
{
    [Display(Name = "所在行政区")]
    [Required(ErrorMessage = "请选择项目所在行政区")]
    public int? RegionId { get; set; }

    [Display(Name = "项目名称")]
    public string? Project { get; set; }

    [Display(Name = "建设单位（投资主体）")]
    public string? Investor { get; set; }

    [Display(Name = "环评文件类型")]
    public EiaKind Eia { get; set; } = EiaKind.Form;

    [Display(Name = "环评审批级别")]
    public ApprovalLevel Approval { get; set; } = ApprovalLevel.City;

    [Display(Name = "COD 申请量（吨/年）")]
    [Range(typeof(decimal), "0", "1000000", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true, ErrorMessage = "{0}应在{1}到{2}之间")]
    public decimal Cod { get; set; }

    [Display(Name = "SO2 申请量（吨/年）")]
    [Range(typeof(decimal), "0", "1000000", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true, ErrorMessage = "{0}应在{1}到{2}之间")]
    public decimal So2 { get; set; }

    [Display(Name = "总量指标来源")]
    public string? QuotaSource { get; set; }

    [Display(Name = "替代削减措施")]
    public int? OffsetMeasureId { get; set; }

    [Display(Name = "替代量（吨/年）")]
    public decimal? OffsetTonnes { get; set; }
}

/// <summary>总量核定申请: the applications of the user's scope, and the form a county officer files one with (at the EIA 送审版 stage).</summary>
[Authorize(Policy = Policies.QuotaLedger)]
public sealed class ApplicationsModel(ZongliangDbContext db, VerificationService service, TimeProvider clock) : PageModel
{
    public IReadOnlyList<(VerificationApplication Item, string Region)> Rows { get; private set; } = [];
    public IReadOnlyList<Region> Regions { get; private set; } = [];
    public bool CanSubmit { get; private set; }
    public int StepDays => service.Routing.DaysPerStep;
    public DateOnly Today => Domain.Common.BeijingTime.Today(clock);
    /// <summary>Confirmed reduction measures of the scope with tonnes left to offer as offsets.</summary>
    public IReadOnlyList<(ReductionMeasure Measure, string Region)> Measures { get; private set; } = [];

    [BindProperty] public ApplicationInput Input { get; set; } = new();

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (!CanSubmit) return Forbid();
        if (Input.RegionId is { } chosen && Regions.All(r => r.Id != chosen))
            ModelState.AddModelError("Input.RegionId", "只能为本辖区的项目申请");
        if (!ModelState.IsValid) return Page();
        var tonnes = new Dictionary<string, decimal> { ["cod"] = Input.Cod, ["so2"] = Input.So2 };
        var (route, routed) = service.Routing.RouteFor(Input.Approval, Input.Eia, tonnes.ToDictionary(t => t.Key, t => (double)t.Value));
        if (!routed.Succeeded)
        {
            ModelState.AddModelError("", routed.Error!);
            return Page();
        }
        List<(int, decimal)> offsets = [];
        if (Input.OffsetMeasureId is { } measureId)
        {
            if (Input.OffsetTonnes is not { } offered || offered <= 0)
            {
                ModelState.AddModelError("Input.OffsetTonnes", "请填写替代量");
                return Page();
            }
            offsets.Add((measureId, offered));
        }
        var by = User.Signer();
        var (probe, checkedOutcome) = VerificationApplication.Submit(Input.RegionId!.Value, Input.Project, Input.Investor, Input.Eia, Input.Approval,
            tonnes, Input.QuotaSource, route!, by, clock.GetUtcNow().UtcDateTime);
        if (!checkedOutcome.Succeeded)
        {
            ModelState.AddModelError($"Input.{(checkedOutcome.Field is "cod" ? "Cod" : checkedOutcome.Field is "so2" ? "So2" : checkedOutcome.Field)}", checkedOutcome.Error!);
            return Page();
        }
        var id = 0;
        var outcome = await service.SubmitAsync(() => VerificationApplication.Submit(Input.RegionId!.Value, Input.Project, Input.Investor, Input.Eia, Input.Approval,
            tonnes, Input.QuotaSource, route!, by, clock.GetUtcNow().UtcDateTime).Application!, offsets, db.Scope, created => id = created, ct);
        if (!outcome.Succeeded)
        {
            ModelState.AddModelError($"Input.{outcome.Field ?? "OffsetTonnes"}", outcome.Error!);
            return Page();
        }
        TempData["Notice"] = $"已提交，核定路径：{string.Join(" → ", probe!.Offices.Select(VerificationApplication.OfficeLabel))}";
        return Redirect($"/Quotas/Application/{id}");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        CanSubmit = User.IsInRole(Roles.County) || User.IsInRole(Roles.Admin);
        var scope = db.Scope;
        var regions = await db.Regions.AsNoTracking().OrderBy(r => r.Code).ToListAsync(ct);
        Regions = regions.Where(r => r.IsCountyLevel && scope.CoversRegion(r.Path)).ToList();
        var names = regions.ToDictionary(r => r.Id, r => r.Name);
        var measures = await db.ReductionMeasures.AsNoTracking().Where(m => m.ConfirmedOn != null).OrderBy(m => m.RegionId).ThenBy(m => m.Pollutant).ToListAsync(ct);
        Measures = measures.Where(m => m.Available > 0).Select(m => (m, names[m.RegionId])).ToList();
        Rows = (await db.VerificationApplications.AsNoTracking().OrderByDescending(a => a.SubmittedAtUtc).Take(500).ToListAsync(ct))
            .Select(a => (a, names[a.RegionId])).ToList();
    }
}
