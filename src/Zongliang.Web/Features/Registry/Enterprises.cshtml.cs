using Microsoft.AspNetCore.Authorization;
using Zongliang.Data;
using Zongliang.Domain.Registry;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Registry;

public sealed class EnterprisesModel(ZongliangDbContext db, IAuthorizationService auth) : RegistryListPage(db)
{
    public Paged<Enterprise> Result { get; private set; } = null!;
    public PagerModel PagerInfo { get; private set; } = null!;
    public bool CanWrite { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadRegionsAsync(ct);
        Result = await Paged<Enterprise>.CreateAsync(await RegistryQueries.EnterprisesAsync(Db, Filter(), ct), PageNumber, 20, ct);
        PagerInfo = Pager(Result);
        CanWrite = (await auth.AuthorizeAsync(User, Policies.RegistryWrite)).Succeeded;
    }
}
