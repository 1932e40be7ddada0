using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Common;
using Zongliang.Domain.Monitoring.Comparison;
using Zongliang.Domain.Registry;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Monitoring;

public sealed class SampleInput
{
    [Display(Name = "因子")]
    [Required(ErrorMessage = "请选择因子")]
    public string FactorCode { get; set; } = "";

    [Display(Name = "采样时间")]
    [Required(ErrorMessage = "请填写采样时间")]
    public DateTime? SampledAt { get; set; }

    [Display(Name = "实验室测定值")]
    [Required(ErrorMessage = "请填写实验室测定值")]
    public double? LabValue { get; set; }

    [Display(Name = "分析方法")]
    [StringLength(100, ErrorMessage = "分析方法不能超过100字")]
    public string? Method { get; set; }

    [Display(Name = "承担人")]
    [StringLength(64, ErrorMessage = "承担人不能超过64字")]
    public string? AssignedTo { get; set; }
}

/// <summary>One comparison task: its lab samples, the device values found for them, the verdicts; sample entry and evaluation.</summary>
[Authorize(Policy = Policies.DataAudit)]
public sealed class ComparisonModel(ZongliangDbContext db, ComparisonService service, TimeProvider clock, IAuthorizationService auth) : PageModel
{
    /// <summary>Whether the user records samples, assigns and evaluates: the monitoring station (and the administrator); the bureaus follow.</summary>
    public bool CanRecord { get; private set; }

    public ComparisonTask Item { get; private set; } = null!;
    public Outlet Outlet { get; private set; } = null!;
    public IReadOnlyList<(string Code, string Name, string Unit)> Factors { get; private set; } = [];
    public DateOnly Today { get; private set; }

    [BindProperty] public SampleInput Input { get; set; } = new();

    public string FactorName(string code) => Factors.FirstOrDefault(f => f.Code == code).Name ?? code;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Input.AssignedTo = Item.AssignedTo;
        return Page();
    }

    public async Task<IActionResult> OnPostSampleAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!CanRecord) return Forbid();
        if (Input.FactorCode.Length > 0 && Factors.All(f => f.Code != Input.FactorCode))
            ModelState.AddModelError("Input.FactorCode", "该排放口没有这个可比对的因子");
        if (!ModelState.IsValid) return Page();
        // The form's time is Beijing time (a time too early to convert is out of the plausible range anyway).
        var sampledAtUtc = BeijingTime.ToUtc(Input.SampledAt!.Value) ?? DateTime.MinValue;
        var outcome = Item.AddSample(Input.FactorCode, sampledAtUtc, Input.LabValue!.Value, Input.Method, clock.GetUtcNow().UtcDateTime);
        if (!outcome.Succeeded)
        {
            ModelState.AddModelError($"Input.{outcome.Field}", outcome.Error!);
            return Page();
        }
        await db.SaveChangesAsync(ct);
        TempData["Notice"] = "已录入样品";
        return Redirect($"/Monitoring/Comparison/{id}");
    }

    public async Task<IActionResult> OnPostAssignAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!CanRecord) return Forbid();
        ModelState.Clear();
        Item.AssignedTo = Input.AssignedTo?.Trim() ?? "";
        if (Item.AssignedTo.Length > 64)
        {
            ModelState.AddModelError("Input.AssignedTo", "承担人不能超过64字");
            return Page();
        }
        await db.SaveChangesAsync(ct);
        TempData["Notice"] = "已指派承担人";
        return Redirect($"/Monitoring/Comparison/{id}");
    }

    public async Task<IActionResult> OnPostEvaluateAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!CanRecord) return Forbid();
        ModelState.Clear();
        var outcome = await service.EvaluateAsync(db, Item, User.Signer(), ct);
        if (!outcome.Succeeded)
        {
            ModelState.AddModelError("", outcome.Error!);
            return Page();
        }
        TempData["Notice"] = $"比对评价完成：{ComparisonTask.StateLabel(Item.State)}";
        return Redirect($"/Monitoring/Comparison/{id}");
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var task = await db.ComparisonTasks.Include(t => t.Samples).Include(t => t.Results).FirstOrDefaultAsync(t => t.Id == id, ct);
        if (task is null) return false;
        Item = task;
        Outlet = await db.Outlets.AsNoTracking().Include(o => o.Enterprise).ThenInclude(e => e.Region).Include(o => o.Factors).FirstAsync(o => o.Id == task.OutletId, ct);
        var comparable = Outlet.Factors.Select(f => f.FactorCode).Where(service.Limits.Factors.ContainsKey).ToList();
        Factors = await db.Factors.AsNoTracking().Where(f => comparable.Contains(f.Code)).OrderBy(f => f.Code).Select(f => new ValueTuple<string, string, string>(f.Code, f.Name, f.Unit)).ToListAsync(ct);
        Today = BeijingTime.Today(clock);
        CanRecord = (await auth.AuthorizeAsync(User, Policies.ComparisonRecord)).Succeeded;
        return true;
    }
}
