using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Zongliang.Data;
using Zongliang.Domain.Monitoring;
using Zongliang.Domain.Registry;
using Zongliang.Web.Features.Registry;

namespace Zongliang.Web.Features.Monitoring;

/// <summary>
/// 排放口数据: the outlets in scope with their devices' communication, each leading to its monitoring
/// page (latest values live, hours, days, audit). The registry's 排放口 list is for editing the outlets.
/// </summary>
public sealed class OutletsModel(ZongliangDbContext db, IOptions<Ingestion.Hj212Options> hj212, TimeProvider clock) : RegistryListPage(db)
{
    [BindProperty(SupportsGet = true)] public Medium? Medium { get; set; }

    public sealed record Row(Outlet Outlet, string Devices, DateTime? LastSeenUtc, string State);

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public PagerModel PagerInfo { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadRegionsAsync(ct);
        var page = await Paged<Outlet>.CreateAsync(await RegistryQueries.OutletsAsync(Db, Filter(medium: Medium), ct), PageNumber, 20, ct);
        PagerInfo = Pager(page);
        Total = page.Total;
        var ids = page.Items.Select(o => o.Id).ToList();
        var devices = await Db.Devices.AsNoTracking().Where(d => ids.Contains(d.OutletId))
            .Select(d => new { d.Id, d.OutletId, d.Mn, d.State }).ToListAsync(ct);
        var deviceIds = devices.Select(d => d.Id).ToList();
        var seen = await Db.DeviceStatuses.AsNoTracking().Where(s => deviceIds.Contains(s.DeviceId)).ToDictionaryAsync(s => s.DeviceId, s => s.LastSeenUtc, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        Rows = page.Items.Select(o =>
        {
            var mine = devices.Where(d => d.OutletId == o.Id).ToList();
            var networked = mine.Where(d => d.State == DeviceState.Networked).ToList();
            DateTime? last = networked.Select(d => seen.TryGetValue(d.Id, out var t) ? t : (DateTime?)null).Max();
            var state = networked.Count == 0 ? "未联网"
                : last is null ? "从未通信"
                : DeviceStatus.IsOnline(last, now, hj212.Value.OfflineAfter) ? "在线" : "离线";
            return new Row(o, string.Join(" ", (networked.Count > 0 ? networked : mine).Select(d => d.Mn)), last, state);
        }).ToList();
    }
}
