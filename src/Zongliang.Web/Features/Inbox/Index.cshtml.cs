using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Notifications;

namespace Zongliang.Web.Features.Inbox;

/// <summary>站内消息: the signed-in user's own messages, newest first; opening one marks it read.</summary>
public sealed class IndexModel(ZongliangDbContext db, TimeProvider clock) : PageModel
{
    public IReadOnlyList<InboxMessage> Messages { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Messages = await db.InboxMessages.AsNoTracking().Where(m => m.UserName == User.Identity!.Name)
            .OrderByDescending(m => m.AtUtc).ThenByDescending(m => m.Id).Take(200).ToListAsync(ct);

    public async Task<IActionResult> OnPostOpenAsync(long id, CancellationToken ct)
    {
        var m = await db.InboxMessages.FirstOrDefaultAsync(x => x.Id == id && x.UserName == User.Identity!.Name, ct);
        if (m is null) return NotFound();
        m.MarkRead(clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return LocalRedirect(m.Link.StartsWith('/') ? m.Link : "/Inbox");
    }

    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var m in await db.InboxMessages.Where(x => x.UserName == User.Identity!.Name && x.ReadAtUtc == null).ToListAsync(ct))
            m.MarkRead(now);
        await db.SaveChangesAsync(ct);
        return Redirect("/Inbox");
    }
}
