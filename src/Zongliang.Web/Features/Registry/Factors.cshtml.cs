using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Access;
using Zongliang.Domain.Registry;

namespace Zongliang.Web.Features.Registry;

public sealed class FactorsModel(ZongliangDbContext db) : PageModel
{
    public IReadOnlyList<Factor> Items { get; private set; } = [];
    public bool CanEdit => User.IsInRole(Roles.Admin);

    public async Task OnGetAsync(CancellationToken ct) =>
        Items = await db.Factors.OrderBy(f => f.Medium).ThenBy(f => f.Code).ToListAsync(ct);
}
