using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Zongliang.Data;
using Zongliang.Domain.Access;
using Zongliang.Domain.Registry;

namespace Zongliang.Web.Features.Ingestion;

public sealed record DeviceEntry(int DeviceId, int OutletId, string Mn, string AccessPassword, DeviceState State, DateTime RegisteredAtUtc);

/// <summary>
/// The registry's devices by MN, for authenticating loggers without a query per frame. Reloaded every
/// <see cref="Hj212Options.DirectoryRefresh"/> in the background (frames go on being checked against
/// the list loaded before), and at once (at most every few seconds) when an unknown MN arrives, so a
/// device networked a moment ago can report at once. However many frames arrive together, one load
/// runs at a time and a load that another frame has just done is not repeated.
/// </summary>
public sealed class DeviceDirectory(IServiceScopeFactory scopes, IOptions<Hj212Options> options, TimeProvider clock, ILogger<DeviceDirectory> log)
{
    /// <summary>An unknown MN reloads the list only when it is older than this.</summary>
    internal static readonly TimeSpan UnknownMnReload = TimeSpan.FromSeconds(5);

    private volatile FrozenDictionary<string, DeviceEntry> _byMn = FrozenDictionary<string, DeviceEntry>.Empty;
    private long _loadedAtTicks = DateTime.MinValue.Ticks;
    private readonly SemaphoreSlim _loading = new(1, 1);
    private int _refreshing;
    private int _loads;

    /// <summary>Loads done so far (for tests).</summary>
    internal int Loads => Volatile.Read(ref _loads);

    private TimeSpan Age => clock.GetUtcNow().UtcDateTime - new DateTime(Interlocked.Read(ref _loadedAtTicks));

    public async ValueTask<DeviceEntry?> FindAsync(string mn, CancellationToken ct)
    {
        var age = Age;
        if (Interlocked.Read(ref _loadedAtTicks) == DateTime.MinValue.Ticks) await ReloadAsync(TimeSpan.Zero, ct);
        else if (age > options.Value.DirectoryRefresh) RefreshInBackground();
        if (_byMn.TryGetValue(mn, out var entry)) return entry;
        await ReloadAsync(UnknownMnReload, ct);
        return _byMn.GetValueOrDefault(mn);
    }

    /// <summary>
    /// The device as the registry has it now (the list reloaded unless it is younger than a few seconds):
    /// a password that does not match may have just been changed (`zl device password`, the device page).
    /// </summary>
    public async ValueTask<DeviceEntry?> FindFreshAsync(string mn, CancellationToken ct)
    {
        await ReloadAsync(UnknownMnReload, ct);
        return _byMn.GetValueOrDefault(mn);
    }

    /// <summary>Reloads the list now, unless it was loaded within <paramref name="unlessYoungerThan"/> (by another caller, while this one waited).</summary>
    public async Task ReloadAsync(TimeSpan unlessYoungerThan, CancellationToken ct)
    {
        await _loading.WaitAsync(ct);
        try
        {
            if (Age <= unlessYoungerThan) return;
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ScopeAccessor>().Scope = AccessScope.System("hj212");
            var db = scope.ServiceProvider.GetRequiredService<ZongliangDbContext>();
            var devices = await db.Devices.AsNoTracking()
                .Select(d => new DeviceEntry(d.Id, d.OutletId, d.Mn, d.AccessPassword, d.State, d.RegisteredAtUtc)).ToListAsync(ct);
            _byMn = devices.ToFrozenDictionary(d => d.Mn, StringComparer.OrdinalIgnoreCase);
            Interlocked.Exchange(ref _loadedAtTicks, clock.GetUtcNow().UtcDateTime.Ticks);
            Interlocked.Increment(ref _loads);
            log.LogDebug("Device directory loaded: {Count} devices", devices.Count);
        }
        finally
        {
            _loading.Release();
        }
    }

    private void RefreshInBackground()
    {
        if (Interlocked.Exchange(ref _refreshing, 1) == 1) return;
        _ = Task.Run(async () =>
        {
            try
            {
                await ReloadAsync(options.Value.DirectoryRefresh, CancellationToken.None);
            }
            catch (Exception ex)
            {
                // The list loaded before stays in use; the next frame tries again.
                log.LogWarning(ex, "Reloading the device directory failed");
            }
            finally
            {
                Volatile.Write(ref _refreshing, 0);
            }
        });
    }
}
