using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Data.Auditing;
using Zongliang.Domain.Common;
using Zongliang.Web.Features.Registry;

namespace Zongliang.Web.Features.System;

/// <summary>
/// Every change and audited event, newest first, in the staff's words (records and fields in Chinese,
/// people by name, the system by its part, Beijing time), filtered by record, person and dates.
/// The /System folder is for administrators only (see WebServices).
/// </summary>
public sealed class AuditModel(ZongliangDbContext db, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Entity { get; set; }
    [BindProperty(SupportsGet = true)] public string? Actor { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;

    public sealed record Row(DateTime AtUtc, string Actor, string Entity, string Key, string Action, IReadOnlyList<string> Changes);

    public IReadOnlyList<KeyValuePair<string, string>> Entities { get; private set; } = [];
    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public PagerModel PagerInfo { get; private set; } = null!;
    public string? DateError { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Entities = AuditLabels.EntityChoices(await db.AuditEntries.Select(a => a.Entity).Distinct().ToListAsync(ct)).ToList();
        var people = await db.Users.Where(u => u.UserName != null).ToDictionaryAsync(u => u.UserName!, u => u.DisplayName, ct);
        var q = db.AuditEntries.AsQueryable();
        if (!string.IsNullOrEmpty(Entity)) q = q.Where(a => a.Entity == Entity);
        if (!string.IsNullOrWhiteSpace(Actor))
        {
            // A login, or (part of) a person's name.
            var actor = Actor.Trim();
            var logins = people.Where(p => p.Value.Contains(actor, StringComparison.Ordinal)).Select(p => p.Key).Append(actor).ToList();
            q = q.Where(a => logins.Contains(a.Actor));
        }
        var today = BeijingTime.Today(clock);
        var ranges = PlausibleRanges.Current;
        foreach (var d in new[] { From, To })
            if (d is { } day && !ranges.IsPlausibleDate(day, today))
                DateError = ranges.DateMessage(today);
        if (DateError is null)
        {
            if (From is { } from) { var start = BeijingTime.DayStartUtc(from); q = q.Where(a => a.AtUtc >= start); }
            if (To is { } to) { var end = BeijingTime.DayStartUtc(to.AddDays(1)); q = q.Where(a => a.AtUtc < end); }
        }
        var page = await Paged<AuditEntry>.CreateAsync(q.OrderByDescending(a => a.Id), PageNumber, 50, ct);
        Total = page.Total;
        PagerInfo = new PagerModel(page.Page, page.Pages, page.Total, Request.Path, Request.Query);
        Rows = page.Items.Select(a => new Row(a.AtUtc, AuditLabels.Actor(a.Actor, people), AuditLabels.Entity(a.Entity), a.Key,
            AuditLabels.Action(a.Action), AuditLabels.Changes(a.Action, a.Before, a.After))).ToList();
    }
}
