using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Registry;

/// <summary>The factor catalog is the whole city's: only administrators change it.</summary>
[Authorize(Policy = Policies.Administration)]
public sealed class FactorEditModel(ZongliangDbContext db, RegistryEditor editor) : RegistryEditPage
{
    [BindProperty(SupportsGet = true)] public string? Code { get; set; }
    [BindProperty] public FactorInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Code is null) return Page();
        var f = await db.Factors.FirstOrDefaultAsync(x => x.Code == Code, ct);
        if (f is null) return NotFound();
        Input = new FactorInput { Code = f.Code, Name = f.Name, Code2005 = f.Code2005, Medium = f.Medium, Unit = f.Unit, MassUnit = f.MassUnit, IsParameter = f.IsParameter };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (Code is not null) Input.Code = Code;
        if (!ModelState.IsValid) return Page();
        return Saved(await editor.SaveFactorAsync(Code, Input, ct), "监测因子已保存", "/Registry/Factors");
    }
}
