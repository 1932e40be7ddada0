using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Monitoring.Validity;
using Zongliang.Domain.Quotas;
using Zongliang.Domain.Registry;

namespace Zongliang.Web.Features.Quotas;

/// <summary>A region's ledger line with what its outlets' monitoring data add up to this year.</summary>
public sealed record LedgerRow(Region Region, LedgerLine Line, decimal MonitoredTonnes);

/// <summary>The ledger of the regions in the user's scope for a year and pollutant, and the city as the sum of its counties.</summary>
public static class LedgerQueries
{
    public static async Task<(List<LedgerRow> Counties, LedgerLine? City)> LinesAsync(ZongliangDbContext db, int year, string pollutant, CancellationToken ct)
    {
        var targets = await db.RegionTargets.AsNoTracking().Where(t => t.Year == year && t.Pollutant == pollutant).ToListAsync(ct);
        var increments = await db.QuotaIncrements.AsNoTracking().Where(i => i.Year == year && i.Pollutant == pollutant).ToListAsync(ct);
        var measures = await db.ReductionMeasures.AsNoTracking().Where(m => m.Year == year && m.Pollutant == pollutant).ToListAsync(ct);
        var regionIds = targets.Select(t => t.RegionId).ToList();
        var regions = await db.Regions.AsNoTracking().Where(r => regionIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
        var monitored = await MonitoredTonnesAsync(db, year, pollutant, ct);
        var rows = targets.Where(t => regions[t.RegionId].IsCountyLevel)
            .Select(t => new LedgerRow(regions[t.RegionId], LedgerLine.For(t, increments, measures), monitored.GetValueOrDefault(t.RegionId)))
            .OrderBy(r => r.Region.Code).ToList();
        var city = rows.Count > 1 ? LedgerLine.Sum(rows[0].Region.ParentId ?? 0, pollutant, year, rows.Select(r => r.Line).ToList()) : null;
        return (rows, city);
    }

    /// <summary>This year's monitored mass per county-level region, t: the stored day masses of the pollutant's factor at the region's outlets.</summary>
    public static async Task<Dictionary<int, decimal>> MonitoredTonnesAsync(ZongliangDbContext db, int year, string pollutant, CancellationToken ct)
    {
        var factor = Pollutants.FactorCode(pollutant);
        var (first, last) = (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
        var sums = await (from d in db.DayAggregates
                          join o in db.Outlets on d.OutletId equals o.Id
                          where d.FactorCode == factor && d.Day >= first && d.Day <= last
                          group d by o.Enterprise.RegionId into g
                          select new { RegionId = g.Key, Kg = g.Sum(x => x.MassKg) }).ToListAsync(ct);
        return sums.ToDictionary(s => s.RegionId, s => Math.Round((decimal)s.Kg / 1000m, 3));
    }

    /// <summary>Monthly monitored mass of one region this year, t (the trend chart).</summary>
    public static async Task<decimal[]> MonthlyTonnesAsync(ZongliangDbContext db, int regionId, int year, string pollutant, CancellationToken ct)
    {
        var factor = Pollutants.FactorCode(pollutant);
        var (first, last) = (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
        var days = await (from d in db.DayAggregates
                          join o in db.Outlets on d.OutletId equals o.Id
                          where d.FactorCode == factor && d.Day >= first && d.Day <= last && o.Enterprise.RegionId == regionId
                          select new { d.Day, d.MassKg }).ToListAsync(ct);
        var months = new decimal[12];
        foreach (var d in days)
            months[d.Day.Month - 1] += (decimal)d.MassKg / 1000m;
        return months.Select(m => Math.Round(m, 3)).ToArray();
    }
}
