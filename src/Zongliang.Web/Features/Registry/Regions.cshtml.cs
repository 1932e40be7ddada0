using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Access;
using Zongliang.Domain.Registry;

namespace Zongliang.Web.Features.Registry;

public sealed class RegionsModel(ZongliangDbContext db) : PageModel
{
    public IReadOnlyList<Region> Items { get; private set; } = [];
    public Dictionary<int, int> Counts { get; private set; } = [];
    public bool CanEdit => User.IsInRole(Roles.Admin);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Items = await RegistryQueries.ScopedRegions(db).OrderBy(r => r.Path).ToListAsync(ct);
        Counts = await db.Enterprises.GroupBy(e => e.RegionId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
    }
}
