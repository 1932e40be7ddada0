using Microsoft.AspNetCore.Mvc;
using Zongliang.Data;
using Zongliang.Domain.Registry;

namespace Zongliang.Web.Features.Registry;

public sealed class OutletsModel(ZongliangDbContext db) : RegistryListPage(db)
{
    [BindProperty(SupportsGet = true)] public Medium? Medium { get; set; }
    public Paged<Outlet> Result { get; private set; } = null!;
    public PagerModel PagerInfo { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadRegionsAsync(ct);
        Result = await Paged<Outlet>.CreateAsync(await RegistryQueries.OutletsAsync(Db, Filter(medium: Medium), ct), PageNumber, 20, ct);
        PagerInfo = Pager(Result);
    }
}
