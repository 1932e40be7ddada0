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

/// <summary>What refusal conditions 4 (rebound) and 6 (the investor's facilities) read from the monitoring data.</summary>
public static class RefusalEvidence
{
    /// <summary>
    /// Confirmed closures (structural measures tied to an enterprise) whose enterprise still emits:
    /// days after the confirmation with a measured or substituted mass and not stopped.
    /// </summary>
    public static async Task<List<string>> ReboundsAsync(ZongliangDbContext db, IEnumerable<ReductionMeasure> measures, CancellationToken ct)
    {
        var rebounds = new List<string>();
        foreach (var m in measures.Where(m => m.Type == MeasureType.Structural && m.ConfirmedOn is not null && m.EnterpriseId is not null))
        {
            var factor = Pollutants.FactorCode(m.Pollutant);
            var (enterprise, since) = (m.EnterpriseId!.Value, m.ConfirmedOn!.Value);
            var stopped = PeriodStatus.Stopped;
            var days = await (from d in db.DayAggregates.IgnoreQueryFilters()
                              join o in db.Outlets.IgnoreQueryFilters() on d.OutletId equals o.Id
                              where o.EnterpriseId == enterprise && d.FactorCode == factor && d.Day > since && d.MassKg > 0 && d.Status != stopped
                              select new { d.Day, d.MassKg }).ToListAsync(ct);
            if (days.Count > 0)
                rebounds.Add($"{m.Description}（{since:yyyy-MM-dd} 确认关停）之后又有排放：{days.Select(d => d.Day).Distinct().Count()} 天，{days.Sum(d => d.MassKg) / 1000:0.###} 吨，最早 {days.Min(d => d.Day):yyyy-MM-dd}");
        }
        return rebounds;
    }

    /// <summary>The investor's existing facilities (enterprises of that name, in any region) with their quotas and this year's actual emission annualised from valid days.</summary>
    public static async Task<List<FacilityEmission>> FacilitiesAsync(ZongliangDbContext db, string investor, int year, CancellationToken ct)
    {
        var enterprises = await db.Enterprises.IgnoreQueryFilters().AsNoTracking().Where(e => e.Name == investor).Select(e => new { e.Id, e.Name }).ToListAsync(ct);
        // The condition reads across regions; what the viewer may see of it is the viewer's scope (the query filters).
        var ids = enterprises.Select(e => e.Id).ToList();
        var visible = (await db.Enterprises.AsNoTracking().Where(e => ids.Contains(e.Id)).Select(e => e.Id).ToListAsync(ct)).ToHashSet();
        var result = new List<FacilityEmission>();
        foreach (var e in enterprises)
        {
            var quotas = await db.EnterpriseQuotas.IgnoreQueryFilters().AsNoTracking().Where(q => q.EnterpriseId == e.Id && q.Year == year).ToListAsync(ct);
            foreach (var quota in quotas)
            {
                var (tonnes, days) = await ValidMassAsync(db, e.Id, quota.Pollutant, new DateOnly(year, 1, 1), new DateOnly(year, 12, 31), ct);
                result.Add(new FacilityEmission(e.Name, quota.Pollutant, quota.Tonnes, AcceptanceCheck.Annualise(tonnes, days), visible.Contains(e.Id)));
            }
        }
        return result;
    }

    /// <summary>
    /// An enterprise's mass of a pollutant over its valid monitored days in a period, and how many
    /// such days there are: what acceptance (Q5) and refusal condition 6 annualise. Reads across
    /// regions; the callers decide whose enterprise it may be.
    /// </summary>
    public static async Task<(decimal Tonnes, int ValidDays)> ValidMassAsync(ZongliangDbContext db, int enterpriseId, string pollutant, DateOnly first, DateOnly last, CancellationToken ct)
    {
        var factor = Pollutants.FactorCode(pollutant);
        var valid = PeriodStatus.Valid;
        var days = await (from d in db.DayAggregates.IgnoreQueryFilters()
                          join o in db.Outlets.IgnoreQueryFilters() on d.OutletId equals o.Id
                          where o.EnterpriseId == enterpriseId && d.FactorCode == factor && d.Day >= first && d.Day <= last && d.Status == valid
                          select new { d.Day, d.MassKg }).ToListAsync(ct);
        return ((decimal)days.Sum(d => d.MassKg) / 1000m, days.Select(d => d.Day).Distinct().Count());
    }
}
