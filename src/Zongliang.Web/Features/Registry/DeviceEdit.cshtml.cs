using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Registry;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Registry;

[Authorize(Policy = Policies.RegistryWrite)]
public sealed class DeviceEditModel(ZongliangDbContext db, RegistryEditor editor) : RegistryEditPage
{
    [BindProperty(SupportsGet = true)] public int? Id { get; set; }
    [BindProperty] public DeviceInput Input { get; set; } = new();
    public IReadOnlyList<Outlet> Outlets { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int? outletId, CancellationToken ct)
    {
        if (Id is not null)
        {
            var d = await db.Devices.FirstOrDefaultAsync(x => x.Id == Id, ct);
            if (d is null) return NotFound();
            Input = new DeviceInput { OutletId = d.OutletId, Mn = d.Mn, AccessPassword = "", Manufacturer = d.Manufacturer, Model = d.Model };
        }
        else Input.OutletId = outletId;
        await LoadOutletsAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadOutletsAsync(ct);
        if (!ModelState.IsValid) return Page();
        return Saved(await editor.SaveDeviceAsync(Id, Input, ct), "设备已保存", "/Registry/Device/{key}");
    }

    private async Task LoadOutletsAsync(CancellationToken ct) =>
        Outlets = await db.Outlets.Include(o => o.Enterprise).OrderBy(o => o.Enterprise.Name).ThenBy(o => o.Code).ToListAsync(ct);
}
