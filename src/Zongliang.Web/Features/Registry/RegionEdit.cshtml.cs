using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Registry;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Registry;

/// <summary>Administrative divisions change rarely and for everyone: administrators only.</summary>
[Authorize(Policy = Policies.Administration)]
public sealed class RegionEditModel(ZongliangDbContext db, RegistryEditor editor) : RegistryEditPage
{
    [BindProperty(SupportsGet = true)] public int? Id { get; set; }
    [BindProperty] public RegionInput Input { get; set; } = new();
    public IReadOnlyList<Region> Parents { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Parents = await db.Regions.Where(r => r.Kind == RegionKind.Province || r.Kind == RegionKind.City).OrderBy(r => r.Path).ToListAsync(ct);
        if (Id is null) return Page();
        var r = await db.Regions.FirstOrDefaultAsync(x => x.Id == Id, ct);
        if (r is null) return NotFound();
        Input = new RegionInput { Code = r.Code, Name = r.Name, Kind = r.Kind, ParentId = r.ParentId };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Parents = await db.Regions.Where(r => r.Kind == RegionKind.Province || r.Kind == RegionKind.City).OrderBy(r => r.Path).ToListAsync(ct);
        if (!ModelState.IsValid) return Page();
        return Saved(await editor.SaveRegionAsync(Id, Input, ct), "行政区已保存", "/Registry/Regions");
    }
}
