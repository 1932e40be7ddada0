using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Registry;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Registry;

/// <summary>Shows an outlet to everyone in scope; saving needs the registry-write role.</summary>
public sealed class OutletEditModel(ZongliangDbContext db, RegistryEditor editor, IAuthorizationService auth) : RegistryEditPage
{
    [BindProperty(SupportsGet = true)] public int? Id { get; set; }
    [BindProperty] public OutletInput Input { get; set; } = new();
    [BindProperty] public List<string> Monitored { get; set; } = [];
    [BindProperty] public Dictionary<string, decimal?> Limits { get; set; } = [];

    public Enterprise Enterprise { get; private set; } = null!;
    public IReadOnlyList<Factor> Catalog { get; private set; } = [];
    public bool CanWrite { get; private set; }

    public async Task<IActionResult> OnGetAsync(int? enterpriseId, Medium? medium, CancellationToken ct)
    {
        if (Id is not null)
        {
            var o = await db.Outlets.FirstOrDefaultAsync(x => x.Id == Id, ct);
            if (o is null) return NotFound();
            Input = OutletInput.From(o);
        }
        else
        {
            Input.EnterpriseId = enterpriseId;
            Input.Medium = medium ?? Medium.Water;
            Input.Code = Input.Medium == Medium.Water ? "DW001" : "DA001";
        }
        if (!await LoadAsync(ct)) return NotFound();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        if (!CanWrite) return Forbid();
        Input.Factors = Monitored.Distinct().Select(code => new OutletFactorInput { FactorCode = code, Limit = Limits.GetValueOrDefault(code) }).ToList();
        if (!ModelState.IsValid) return Page();
        return Saved(await editor.SaveOutletAsync(Id, Input, ct), "排放口已保存", "/Registry/OutletEdit/{key}");
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var enterprise = await db.Enterprises.FirstOrDefaultAsync(e => e.Id == Input.EnterpriseId, ct);
        if (enterprise is null) return false;
        Enterprise = enterprise;
        Catalog = await db.Factors.Where(f => f.Medium == Input.Medium).OrderBy(f => f.IsParameter ? 0 : 1).ThenBy(f => f.Code).ToListAsync(ct);
        CanWrite = (await auth.AuthorizeAsync(User, Policies.RegistryWrite)).Succeeded;
        return true;
    }
}
