using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Zongliang.Data;
using Zongliang.Domain.Access;
using Zongliang.Domain.Registry;

namespace Zongliang.Web.Features.Ingestion;

public sealed record DeviceEntry(int DeviceId, int OutletId, string Mn, string AccessPassword, DeviceState State);

/// <summary>
/// The registry's devices by MN, for authenticating loggers without a query per frame. Reloaded every
/// <see cref="Hj212Options.DirectoryRefresh"/>, and at once (at most every few seconds) when an unknown MN arrives,
/// so a device networked a moment ago can report at once.
/// </summary>
public sealed class DeviceDirectory(IServiceScopeFactory scopes, IOptions<Hj212Options> options, TimeProvider clock, ILogger<DeviceDirectory> log)
{
    private volatile FrozenDictionary<string, DeviceEntry> _byMn = FrozenDictionary<string, DeviceEntry>.Empty;
    private DateTime _loadedAt = DateTime.MinValue;
    private readonly SemaphoreSlim _loading = new(1, 1);

    public async ValueTask<DeviceEntry?> FindAsync(string mn, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (now - _loadedAt > options.Value.DirectoryRefresh) await ReloadAsync(ct);
        if (_byMn.TryGetValue(mn, out var entry)) return entry;
        if (now - _loadedAt > TimeSpan.FromSeconds(5)) await ReloadAsync(ct);
        return _byMn.GetValueOrDefault(mn);
    }

    public async Task ReloadAsync(CancellationToken ct)
    {
        await _loading.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ScopeAccessor>().Scope = AccessScope.System("hj212");
            var db = scope.ServiceProvider.GetRequiredService<ZongliangDbContext>();
            var devices = await db.Devices.AsNoTracking()
                .Select(d => new DeviceEntry(d.Id, d.OutletId, d.Mn, d.AccessPassword, d.State)).ToListAsync(ct);
            _byMn = devices.ToFrozenDictionary(d => d.Mn, StringComparer.OrdinalIgnoreCase);
            _loadedAt = clock.GetUtcNow().UtcDateTime;
            log.LogDebug("Device directory loaded: {Count} devices", devices.Count);
        }
        finally
        {
            _loading.Release();
        }
    }
}
