using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Notifications;
using Zongliang.Web.Features.Registry;

namespace Zongliang.Web.Features.System;

/// <summary>发件箱: the e-mails and SMS of the notifications, sent or waiting (no SMTP server or SMS gateway configured, or failing). Administrators only.</summary>
public sealed class OutboxModel(ZongliangDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Show { get; set; } = "waiting";
    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;
    public Paged<OutboxMessage> Result { get; private set; } = null!;
    public PagerModel PagerInfo { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var q = db.OutboxMessages.AsNoTracking().AsQueryable();
        if (Show == "waiting") q = q.Where(m => m.SentAtUtc == null);
        Result = await Paged<OutboxMessage>.CreateAsync(q.OrderByDescending(m => m.Id), PageNumber, 50, ct);
        PagerInfo = new PagerModel(Result.Page, Result.Pages, Result.Total, Request.Path, Request.Query);
    }
}
