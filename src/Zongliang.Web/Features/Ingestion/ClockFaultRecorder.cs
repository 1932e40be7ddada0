using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Access;
using Zongliang.Domain.Monitoring;

namespace Zongliang.Web.Features.Ingestion;

/// <summary>
/// Collects the data packets whose DataTime fell outside the <see cref="DataTimeWindow"/> and writes
/// them, a few seconds later and one row per device, to <see cref="DeviceClockFault"/> (the device page
/// and the clock-fault warning read it). A logger with a reset clock sends every packet that way:
/// collecting them keeps that to one small write per device every few seconds, off the ingest path.
/// </summary>
public sealed class ClockFaultRecorder(IServiceScopeFactory scopes, ILogger<ClockFaultRecorder> log)
{
    private readonly record struct Pending(DateTime AtUtc, string DataTime, DataTimeVerdict Verdict, long Packets)
    {
        /// <summary>Two collections of one device's faults as one: the packets added, the newer's DataTime and verdict.</summary>
        public static Pending Merge(Pending older, Pending newer) =>
            new(newer.AtUtc > older.AtUtc ? newer.AtUtc : older.AtUtc, newer.DataTime, newer.Verdict, older.Packets + newer.Packets);
    }

    private readonly ConcurrentDictionary<int, Pending> _pending = new();

    /// <summary>A packet of the device, received at <paramref name="atUtc"/>, whose DataTime (as sent, local) was judged <paramref name="verdict"/>.</summary>
    public void Record(int deviceId, DateTime atUtc, DateTime? dataTime, DataTimeVerdict verdict)
    {
        var shown = dataTime is { } t ? t.ToString("yyyy-MM-dd HH:mm:ss", global::System.Globalization.CultureInfo.InvariantCulture) : "";
        var packet = new Pending(atUtc, shown, verdict, 1);
        _pending.AddOrUpdate(deviceId, packet, (_, collected) => Pending.Merge(collected, packet));
    }

    /// <summary>Writes what was collected; returns the devices written. What fails stays for the next time.</summary>
    public async Task<int> FlushAsync(CancellationToken ct)
    {
        if (_pending.IsEmpty) return 0;
        var taken = new List<(int DeviceId, Pending Fault)>();
        foreach (var id in _pending.Keys)
            if (_pending.TryRemove(id, out var p)) taken.Add((id, p));
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ScopeAccessor>().Scope = AccessScope.System("hj212");
            var db = scope.ServiceProvider.GetRequiredService<ZongliangDbContext>();
            var ids = taken.Select(t => t.DeviceId).ToList();
            var rows = await db.DeviceClockFaults.Where(f => ids.Contains(f.DeviceId)).ToDictionaryAsync(f => f.DeviceId, ct);
            foreach (var (id, p) in taken)
            {
                if (rows.TryGetValue(id, out var row)) row.Add(p.AtUtc, p.DataTime, p.Verdict, p.Packets);
                else db.DeviceClockFaults.Add(DeviceClockFault.Start(id, p.AtUtc, p.DataTime, p.Verdict, p.Packets));
            }
            await db.SaveChangesAsync(ct);
            return taken.Count;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Another instance may have added the same device's row first: the next flush updates it.
            log.LogWarning("Recording clock faults of {Count} devices failed ({Error}); tried again", taken.Count, ex.Message);
            foreach (var (id, p) in taken)
                _pending.AddOrUpdate(id, p, (_, since) => Pending.Merge(p, since));
            return 0;
        }
    }
}
