using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Registry;
using Zongliang.Web.Features.Registry;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features;

public sealed class IndexModel(ZongliangDbContext db) : PageModel
{
    public int Enterprises { get; private set; }
    public int KeySources { get; private set; }
    public int Outlets { get; private set; }
    public string ScopeName { get; private set; } = "";
    public (IReadOnlyList<DeviceProgressRow> Rows, DeviceProgressRow Total) Progress { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Enterprises = await db.Enterprises.CountAsync(ct);
        KeySources = await db.Enterprises.CountAsync(e => e.ControlLevel != ControlLevel.None, ct);
        Outlets = await db.Outlets.CountAsync(ct);
        Progress = await RegistryQueries.ProgressAsync(db, ct);
        ScopeName = db.Scope.Everything ? "全部" : User.FindFirst(ScopeClaims.RegionName)?.Value ?? "本单位";
    }
}
