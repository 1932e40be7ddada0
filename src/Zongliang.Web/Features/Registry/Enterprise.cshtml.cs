using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Registry;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Registry;

public sealed class EnterpriseModel(ZongliangDbContext db, IAuthorizationService auth) : PageModel
{
    public Enterprise Item { get; private set; } = null!;
    public IReadOnlyList<Device> Devices { get; private set; } = [];
    public bool CanWrite { get; private set; }
    /// <summary>The enterprise's warnings (open first, the latest 20) and its linkage cases.</summary>
    public IReadOnlyList<Domain.Warnings.Warning> Warnings { get; private set; } = [];
    public IReadOnlyList<Domain.Warnings.LinkageCase> Cases { get; private set; } = [];
    private Dictionary<string, string> _factorNames = [];

    public string FactorName(string code) => _factorNames.GetValueOrDefault(code, code);

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        var e = await db.Enterprises.Include(x => x.Region).Include(x => x.Outlets).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (e is null) return NotFound();
        Item = e;
        Devices = await db.Devices.Where(d => d.Outlet.EnterpriseId == id).ToListAsync(ct);
        _factorNames = await db.Factors.ToDictionaryAsync(f => f.Code, f => f.Name, ct);
        CanWrite = (await auth.AuthorizeAsync(User, Policies.RegistryWrite)).Succeeded;
        Warnings = await db.Warnings.AsNoTracking().Where(w => w.EnterpriseId == id)
            .OrderBy(w => w.ClosedAtUtc != null).ThenByDescending(w => w.LastUtc).Take(20).ToListAsync(ct);
        Cases = await db.LinkageCases.AsNoTracking().Where(c => c.EnterpriseId == id).OrderByDescending(c => c.OpenedAtUtc).Take(20).ToListAsync(ct);
        return Page();
    }
}
