using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Common;
using Zongliang.Domain.Warnings;
using Zongliang.Web.Features.Registry;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Warnings;

public sealed class CaseInput
{
    [Display(Name = "排污单位")]
    [Required(ErrorMessage = "请选择排污单位")]
    public int? EnterpriseId { get; set; }

    [Display(Name = "案由")]
    [Required(ErrorMessage = "请写明案由")]
    public string? Subject { get; set; }
}

/// <summary>联动案件: the inspection section's workbench, open cases by deadline (overdue first); a case opened by hand.</summary>
public sealed class CasesModel(ZongliangDbContext db, IAuthorizationService auth, TimeProvider clock) : RegistryListPage(db)
{
    public sealed record Row(LinkageCase Case, string Region, string Enterprise);

    [BindProperty(SupportsGet = true)] public string Show { get; set; } = "open";
    [BindProperty] public CaseInput Input { get; set; } = new();

    public Paged<Row> Result { get; private set; } = null!;
    public PagerModel PagerInfo { get; private set; } = null!;
    public bool CanOpen { get; private set; }
    public IReadOnlyList<(int Id, string Name)> Enterprises { get; private set; } = [];
    public DateTime NowUtc { get; private set; }
    /// <summary>Display names of the assignees on this page.</summary>
    public IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostOpenAsync(CancellationToken ct)
    {
        // The list's filters are not part of this form.
        ModelState.KeepOnly("Input.");
        PageNumber = 1;
        await LoadAsync(ct);
        if (!CanOpen) return Forbid();
        var enterprise = Input.EnterpriseId is { } id ? await Db.Enterprises.FirstOrDefaultAsync(e => e.Id == id, ct) : null;
        if (Input.EnterpriseId is not null && enterprise is null)
            ModelState.AddModelError("Input.EnterpriseId", "只能为本辖区的排污单位立案");
        if (!ModelState.IsValid) return Page();
        var (c, outcome) = LinkageCase.Open(enterprise!.RegionId, enterprise.Id, null, null, CaseSource.Manual, Input.Subject, User.Signer(), NowUtc);
        if (!outcome.Succeeded)
        {
            ModelState.AddModelError($"Input.{outcome.Field}", outcome.Error!);
            return Page();
        }
        Db.LinkageCases.Add(c!);
        await Db.SaveChangesAsync(ct);
        await CaseService.NotifyAsync(Db, c!, "新的联动案件待指派", NowUtc, ct);
        await Db.SaveChangesAsync(ct);
        TempData["Notice"] = $"已立案，联动案件 {c!.Id}";
        return Redirect(CaseService.Link(c.Id));
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        NowUtc = clock.GetUtcNow().UtcDateTime;
        await LoadRegionsAsync(ct);
        CanOpen = (await auth.AuthorizeAsync(User, Policies.CaseOpen)).Succeeded;
        if (CanOpen)
            Enterprises = (await Db.Enterprises.AsNoTracking().OrderBy(e => e.RegionId).ThenBy(e => e.Name).Select(e => new { e.Id, e.Name }).Take(1000).ToListAsync(ct))
                .Select(e => (e.Id, e.Name)).ToList();
        var today = BeijingTime.Date(NowUtc);
        var q = Db.LinkageCases.AsNoTracking().AsQueryable();
        q = Show switch
        {
            "open" => q.Where(c => c.State != CaseState.Closed),
            "overdue" => q.Where(c => (c.State == CaseState.Assigned || c.State == CaseState.Checked) && c.Deadline < today),
            "mine" => q.Where(c => c.Assignee == User.Identity!.Name && c.State != CaseState.Closed),
            "closed" => q.Where(c => c.State == CaseState.Closed),
            _ => q,
        };
        if (RegionId is { } r)
        {
            var path = await Db.Regions.Where(x => x.Id == r).Select(x => x.Path).FirstOrDefaultAsync(ct) ?? "\0";
            q = q.Where(c => Db.Regions.Any(x => x.Id == c.RegionId && x.Path.StartsWith(path)));
        }
        // Open cases by deadline (none yet: first, they wait to be assigned), then the newest.
        var rows = from c in q
                   join region in Db.Regions on c.RegionId equals region.Id
                   join en in Db.Enterprises on c.EnterpriseId equals en.Id
                   orderby c.State == CaseState.Closed, c.Deadline != null, c.Deadline, c.OpenedAtUtc descending
                   select new Row(c, region.Name, en.Name);
        Result = await Paged<Row>.CreateAsync(rows, PageNumber, 30, ct);
        PagerInfo = Pager(Result);
        var assignees = Result.Items.Select(r => r.Case.Assignee).Where(a => a.Length > 0).Distinct().ToList();
        Names = await Db.Users.Where(u => assignees.Contains(u.UserName!)).ToDictionaryAsync(u => u.UserName!, u => u.DisplayName, ct);
    }
}
