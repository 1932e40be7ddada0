using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Quotas;

namespace Zongliang.Web.Features.Public;

/// <summary>公示: the issued verification decisions, for anyone (the public pages need no account).</summary>
[AllowAnonymous]
public sealed class VerificationsModel(ZongliangDbContext db) : PageModel
{
    public sealed record Row(int ApplicationId, string Number, string Office, DateOnly IssuedOn, string Project, string Investor, string Region, IReadOnlyList<ApplicationAmount> Amounts);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        // Deliberately outside the region scope: issued decisions are published to everyone; nothing else is read here.
        var documents = await db.IssuedDocuments.AsNoTracking().OrderByDescending(d => d.IssuedOn).ThenByDescending(d => d.Number)
            .Select(d => new { d.ApplicationId, d.Number, d.Office, d.IssuedOn }).Take(200).ToListAsync(ct);
        var ids = documents.Select(d => d.ApplicationId).ToList();
        var applications = await db.VerificationApplications.IgnoreQueryFilters().AsNoTracking().Include(a => a.Amounts)
            .Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
        var regions = await db.Regions.AsNoTracking().ToDictionaryAsync(r => r.Id, r => r.Name, ct);
        Rows = documents.Where(d => applications.ContainsKey(d.ApplicationId)).Select(d =>
        {
            var a = applications[d.ApplicationId];
            return new Row(d.ApplicationId, d.Number, d.Office, d.IssuedOn, a.Project, a.Investor, regions[a.RegionId], a.Amounts);
        }).ToList();
    }
}
