using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Zongliang.Data;
using Zongliang.Domain.Registry;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Registry;

public sealed class DevicesModel(ZongliangDbContext db, IAuthorizationService auth) : RegistryListPage(db)
{
    [BindProperty(SupportsGet = true)] public DeviceState? State { get; set; }
    public Paged<Device> Result { get; private set; } = null!;
    public PagerModel PagerInfo { get; private set; } = null!;
    public bool CanWrite { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadRegionsAsync(ct);
        Result = await Paged<Device>.CreateAsync(await RegistryQueries.DevicesAsync(Db, Filter(state: State), ct), PageNumber, 20, ct);
        PagerInfo = Pager(Result);
        CanWrite = (await auth.AuthorizeAsync(User, Policies.RegistryWrite)).Succeeded;
    }
}
