using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Registry;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Registry;

[Authorize(Policy = Policies.RegistryWrite)]
public sealed class EnterpriseEditModel(ZongliangDbContext db, RegistryEditor editor) : RegistryEditPage
{
    [BindProperty(SupportsGet = true)] public int? Id { get; set; }
    [BindProperty] public EnterpriseInput Input { get; set; } = new();
    public IReadOnlyList<Region> Regions { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Id is not null)
        {
            var e = await db.Enterprises.FirstOrDefaultAsync(x => x.Id == Id, ct);
            if (e is null) return NotFound();
            Input = EnterpriseInput.From(e);
        }
        Regions = await RegistryQueries.CountiesAsync(db, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Regions = await RegistryQueries.CountiesAsync(db, ct);
        if (!ModelState.IsValid) return Page();
        return Saved(await editor.SaveEnterpriseAsync(Id, Input, ct), "排污单位已保存", "/Registry/Enterprise/{key}");
    }
}
