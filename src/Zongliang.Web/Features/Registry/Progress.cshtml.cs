using Microsoft.AspNetCore.Mvc.RazorPages;
using Zongliang.Data;
using Zongliang.Domain.Registry;

namespace Zongliang.Web.Features.Registry;

public sealed class ProgressModel(ZongliangDbContext db) : PageModel
{
    public (IReadOnlyList<DeviceProgressRow> Rows, DeviceProgressRow Total) Progress { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Progress = await RegistryQueries.ProgressAsync(db, ct);
}
