using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Data.Auditing;
using Zongliang.Web.Features.Registry;

namespace Zongliang.Web.Features.System;

/// <summary>Every change, newest first. The /System folder is for administrators only (see WebServices).</summary>
public sealed class AuditModel(ZongliangDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Entity { get; set; }
    [BindProperty(SupportsGet = true)] public string? Actor { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;
    public IReadOnlyList<string> Entities { get; private set; } = [];
    public Paged<AuditEntry> Result { get; private set; } = null!;
    public PagerModel PagerInfo { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Entities = await db.AuditEntries.Select(a => a.Entity).Distinct().OrderBy(e => e).ToListAsync(ct);
        var q = db.AuditEntries.AsQueryable();
        if (!string.IsNullOrEmpty(Entity)) q = q.Where(a => a.Entity == Entity);
        if (!string.IsNullOrEmpty(Actor)) q = q.Where(a => a.Actor == Actor);
        Result = await Paged<AuditEntry>.CreateAsync(q.OrderByDescending(a => a.Id), PageNumber, 50, ct);
        PagerInfo = new PagerModel(Result.Page, Result.Pages, Result.Total, Request.Path, Request.Query);
    }
}
