using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Data.Monitoring;
using Zongliang.Domain.Access;
using Zongliang.Domain.Common;
using Zongliang.Domain.Monitoring;
using Zongliang.Domain.Monitoring.Validity;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Monitoring;

public sealed class NoticeInput
{
    [Display(Name = "排放口")]
    [Required(ErrorMessage = "请选择排放口")]
    public int? OutletId { get; set; }

    [Display(Name = "类型")]
    public NoticeKind Kind { get; set; } = NoticeKind.PlannedStop;

    [Display(Name = "开始时间")]
    [Required(ErrorMessage = "请填写开始时间")]
    public DateTime? From { get; set; }

    [Display(Name = "结束时间")]
    [Required(ErrorMessage = "请填写结束时间")]
    public DateTime? To { get; set; }

    [Display(Name = "原因")]
    public string? Reason { get; set; }
}

/// <summary>停产/检修报备: enterprises file notices for their outlets; auditors of the region accept or refuse them.</summary>
public sealed class NoticesModel(ZongliangDbContext db, RecomputeQueue store, IAuthorizationService auth, TimeProvider clock) : PageModel
{
    public sealed record Row(OperationNotice Notice, string Region, string Enterprise, string Outlet);

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public IReadOnlyList<(int Id, string Name)> Outlets { get; private set; } = [];
    public bool CanFile { get; private set; }
    public bool CanDecide { get; private set; }

    [BindProperty] public NoticeInput Input { get; set; } = new();

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostFileAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (!CanFile) return Forbid();
        if (Input.OutletId is { } chosen && Outlets.All(o => o.Id != chosen))
            ModelState.AddModelError("Input.OutletId", "只能为本单位的排放口报备");
        if (!ModelState.IsValid) return Page();
        var (notice, outcome) = OperationNotice.File(Input.OutletId!.Value, Input.Kind,
            // Beijing times; one too early to convert is out of the plausible dates, which File refuses.
            BeijingTime.ToUtc(Input.From!.Value) ?? DateTime.MinValue, BeijingTime.ToUtc(Input.To!.Value) ?? DateTime.MinValue,
            Input.Reason, Actor, clock.GetUtcNow().UtcDateTime);
        if (!outcome.Succeeded)
        {
            ModelState.AddModelError($"Input.{outcome.Field}", outcome.Error!);
            return Page();
        }
        db.OperationNotices.Add(notice!);
        await db.SaveChangesAsync(ct);
        TempData["Notice"] = "已提交报备，待环保部门审核";
        return Redirect("/Monitoring/Notices");
    }

    public async Task<IActionResult> OnPostDecideAsync(long id, bool accept, string? decisionReason, CancellationToken ct)
    {
        await LoadAsync(ct);
        if (!CanDecide) return Forbid();
        var notice = await db.OperationNotices.FirstOrDefaultAsync(n => n.Id == id, ct);
        if (notice is null) return NotFound();
        ModelState.Clear();
        var outcome = notice.Decide(accept, decisionReason, Actor, clock.GetUtcNow().UtcDateTime);
        if (!outcome.Succeeded)
        {
            ModelState.AddModelError("", outcome.Error!);
            return Page();
        }
        await db.SaveChangesAsync(ct);
        if (accept)
            await store.RecomputeNowAsync(notice.OutletId, BeijingTime.Date(notice.FromUtc), ct);
        TempData["Notice"] = accept ? "已认可报备，相关时段已重新计算" : "已不予认可";
        return Redirect("/Monitoring/Notices");
    }

    private string Actor => User.Signer();

    private async Task LoadAsync(CancellationToken ct)
    {
        CanFile = User.IsInRole(Roles.Enterprise) || User.IsInRole(Roles.Admin);
        CanDecide = (await auth.AuthorizeAsync(User, Policies.DataAudit)).Succeeded;
        Rows = await (from n in db.OperationNotices.AsNoTracking()
                      join o in db.Outlets on n.OutletId equals o.Id
                      orderby n.State, n.FiledAtUtc descending
                      select new Row(n, o.Enterprise.Region.Name, o.Enterprise.Name, o.Code + " " + o.Name))
            .Take(500).ToListAsync(ct);
        Outlets = CanFile
            ? (await db.Outlets.AsNoTracking().OrderBy(o => o.EnterpriseId).ThenBy(o => o.Code).Select(o => new { o.Id, Name = o.Enterprise.Name + " " + o.Code + " " + o.Name }).Take(500).ToListAsync(ct))
                .Select(o => (o.Id, o.Name)).ToList()
            : [];
    }
}
