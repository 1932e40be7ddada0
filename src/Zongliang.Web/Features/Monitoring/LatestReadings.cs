using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Monitoring;

namespace Zongliang.Web.Features.Monitoring;

/// <summary>The newest value of each factor at an outlet, for each kind of data (real-time, minute, hour, day).</summary>
public static class LatestReadings
{
    public sealed record Cell(double? Value, string Flag, DateTime TimeUtc);

    public sealed record Row(string FactorCode, string FactorName, string Unit, decimal? Limit, IReadOnlyDictionary<ReadingKind, Cell> Cells);

    public static readonly ReadingKind[] Kinds = [ReadingKind.RealTime, ReadingKind.Minute, ReadingKind.Hour, ReadingKind.Day];

    public static string KindLabel(ReadingKind k) => k switch
    {
        ReadingKind.RealTime => "实时",
        ReadingKind.Minute => "分钟",
        ReadingKind.Hour => "小时",
        ReadingKind.Day => "日",
        _ => k.ToString(),
    };

    public static async Task<IReadOnlyList<Row>> ForOutletAsync(ZongliangDbContext db, int outletId, CancellationToken ct)
    {
        var outlet = await db.Outlets.AsNoTracking().FirstOrDefaultAsync(o => o.Id == outletId, ct);
        if (outlet is null) return [];
        var latest = new List<Reading>();
        foreach (var kind in Kinds)
        {
            // The newest time of this kind, then every factor at that time and shortly before.
            var newest = await db.Readings.Where(r => r.OutletId == outletId && r.Kind == kind).OrderByDescending(r => r.TimeUtc).Select(r => (DateTime?)r.TimeUtc).FirstOrDefaultAsync(ct);
            if (newest is null) continue;
            var since = newest.Value.AddDays(-1);
            latest.AddRange(await db.Readings.AsNoTracking().Where(r => r.OutletId == outletId && r.Kind == kind && r.TimeUtc >= since).ToListAsync(ct));
        }
        var factors = await db.Factors.AsNoTracking().ToDictionaryAsync(f => f.Code, ct);
        var limits = outlet.Factors.ToDictionary(f => f.FactorCode, f => f.Limit);
        return latest.GroupBy(r => r.FactorCode)
            .Select(g => new Row(g.Key, factors.GetValueOrDefault(g.Key)?.Name ?? g.Key, factors.GetValueOrDefault(g.Key)?.Unit ?? "", limits.GetValueOrDefault(g.Key),
                g.GroupBy(r => r.Kind).ToDictionary(k => k.Key, k => k.MaxBy(r => r.TimeUtc) is { } r ? new Cell(r.Value ?? r.Cou, r.Flag, r.TimeUtc) : null!)))
            .OrderBy(r => limits.ContainsKey(r.FactorCode) ? 0 : 1).ThenBy(r => r.FactorCode)
            .ToList();
    }
}
