using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Data.Monitoring;
using Zongliang.Domain.Access;
using Zongliang.Domain.Common;
using Zongliang.Domain.Monitoring;
using Zongliang.Domain.Monitoring.Comparison;
using Zongliang.Domain.Monitoring.Validity;
using Zongliang.Domain.Quotas;
using Zongliang.Domain.Registry;
using Zongliang.Domain.Warnings;
using Zongliang.Web.Features.Quotas;

namespace Zongliang.Web.Features.Warnings;

/// <summary>
/// Raises, updates and closes warnings from the stored data, and opens linkage cases by rule. An
/// outlet is evaluated each time its aggregates are rewritten (so warnings follow the data as they
/// arrive); device, comparison, regional-total and deadline checks run in a sweep every minute.
/// One evaluation at a time, so an episode is never raised twice: within this instance (a semaphore)
/// and among the instances on the database (the "warnings" lease, <see cref="JobLeases"/>).
/// </summary>
public sealed class WarningService(IServiceScopeFactory scopes, WarningRules rules, ValidityRules validity, TimeProvider clock,
    WarningSignal signal, JobLeases leases, ILogger<WarningService> log) : IAggregatesObserver
{
    private readonly SemaphoreSlim _one = new(1, 1);

    public async Task RecomputedAsync(int outletId, CancellationToken ct)
    {
        try
        {
            await EvaluateOutletAsync(outletId, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next recompute of the outlet evaluates again; the data are safe either way.
            log.LogError(ex, "Evaluating the warnings of outlet {Outlet} failed", outletId);
        }
    }

    /// <summary>The longest an evaluation may take while it holds the lease (a sweep of the whole city takes seconds).</summary>
    private static readonly TimeSpan LeaseFor = TimeSpan.FromMinutes(5);

    private async Task<T> SerialAsync<T>(Func<ZongliangDbContext, Task<T>> work, CancellationToken ct)
    {
        await _one.WaitAsync(ct);
        try
        {
            return await leases.ExclusiveAsync("warnings", LeaseFor, async () =>
            {
                await using var scope = scopes.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<ScopeAccessor>().Scope = AccessScope.System("warnings");
                var db = scope.ServiceProvider.GetRequiredService<ZongliangDbContext>();
                var result = await work(db);
                signal.Changed();
                return result;
            }, ct);
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>
    /// Exceedance episodes, suspicions and the enterprise's annual totals for one outlet; returns the
    /// warnings raised or changed. What to raise, close and say is <see cref="WarningPolicy"/>'s; this loads and saves.
    /// </summary>
    public Task<int> EvaluateOutletAsync(int outletId, CancellationToken ct) => SerialAsync(async db =>
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var outlet = await db.Outlets.AsNoTracking().Include(o => o.Factors).Include(o => o.Enterprise)
            .FirstOrDefaultAsync(o => o.Id == outletId, ct);
        if (outlet is null) return 0;
        var changes = new WarningChanges(outlet.Enterprise.RegionId, outlet.EnterpriseId, outlet.Id, now);
        var existingSince = WarningPolicy.ExistingSince(rules, now);
        var existing = await db.Warnings.Where(w => w.OutletId == outletId && (w.Kind == WarningKind.Exceedance || w.Kind == WarningKind.Suspicion)
            && (w.ClosedAtUtc == null || w.StartUtc >= existingSince)).ToListAsync(ct);

        var (hourFrom, dayFrom) = WarningPolicy.OutletWindow(existing, rules, now);
        var hours = await db.HourAggregates.AsNoTracking().Where(h => h.OutletId == outletId && h.HourUtc >= hourFrom)
            .OrderBy(h => h.HourUtc).ToListAsync(ct);
        var hourly = rules.HourlyFor(outlet.Medium);
        var days = hourly ? [] : await db.DayAggregates.AsNoTracking().Where(d => d.OutletId == outletId && d.Day >= dayFrom).OrderBy(d => d.Day).ToListAsync(ct);
        var smoothFrom = WarningPolicy.SmoothFrom(rules, now);
        var minuteKind = ReadingKind.Minute;
        var minutes = await db.Readings.AsNoTracking().Where(r => r.OutletId == outletId && r.Kind == minuteKind && r.TimeUtc >= smoothFrom && r.Value != null && r.Flag == "N")
            .Select(r => new { r.FactorCode, r.TimeUtc, r.Value }).ToListAsync(ct);
        var units = await db.Factors.AsNoTracking().ToDictionaryAsync(f => f.Code, f => (f.Name, f.Unit), ct);

        var subject = new OutletSubject(outlet.Enterprise.RegionId, outlet.EnterpriseId, outlet.Id, outlet.Enterprise.Name, outlet.Code, hourly,
            outlet.Factors.Where(f => f.Limit > 0).ToDictionary(f => f.FactorCode, f => (double)f.Limit!.Value),
            validity.For(outlet.Medium).Mass.FlowFactor, units);
        var data = new OutletData(hours, days, await NeighbourExceedancesAsync(db, outlet, hourFrom, ct),
            [.. minutes.Select(m => (m.FactorCode, m.TimeUtc, m.Value!.Value))]);
        WarningPolicy.EvaluateOutlet(subject, data, existing, rules, changes);

        await AnnualForEnterpriseAsync(db, outlet.Enterprise, changes, ct);
        db.Warnings.AddRange(changes.Added);
        await db.SaveChangesAsync(ct);
        await OpenCasesAsync(db, changes, ct);
        return changes.Count;
    }, ct);

    /// <summary>
    /// The valid hours over the limit, since <paramref name="fromUtc"/>, at the outlet's neighbouring
    /// sources: the enterprise's other outlets and outlets within the rule's distance.
    /// </summary>
    private async Task<List<(string Source, DateTime HourUtc)>> NeighbourExceedancesAsync(ZongliangDbContext db, Outlet outlet, DateTime fromUtc, CancellationToken ct)
    {
        // The database narrows the outlets to a box around this one (1° of latitude ≈ 111 km, with a 10 % margin);
        // the exact distance is taken here.
        var km = rules.Suspicion.NeighbourKm.Value;
        var located = outlet.Latitude is not null && outlet.Longitude is not null;
        var (lat, lon) = located ? ((double)outlet.Latitude!.Value, (double)outlet.Longitude!.Value) : (0, 0);
        var dLat = (decimal)(km * 1.1 / 111.0);
        var dLon = (decimal)(km * 1.1 / (111.0 * Math.Max(0.01, Math.Cos(lat * Math.PI / 180))));
        var (minLat, maxLat, minLon, maxLon) = ((decimal)lat - dLat, (decimal)lat + dLat, (decimal)lon - dLon, (decimal)lon + dLon);
        var candidates = await db.Outlets.AsNoTracking().Include(o => o.Factors).Include(o => o.Enterprise)
            .Where(o => o.Id != outlet.Id && (o.EnterpriseId == outlet.EnterpriseId
                || located && o.Latitude >= minLat && o.Latitude <= maxLat && o.Longitude >= minLon && o.Longitude <= maxLon)).ToListAsync(ct);
        var near = candidates.Where(o => o.EnterpriseId == outlet.EnterpriseId
            || o.Latitude is { } olat && o.Longitude is { } olon && SuspicionDetectors.DistanceKm(lat, lon, (double)olat, (double)olon) <= km).ToList();
        if (near.Count == 0) return [];
        var ids = near.Select(o => o.Id).ToList();
        var valid = PeriodStatus.Valid;
        var hours = await db.HourAggregates.AsNoTracking().Where(h => ids.Contains(h.OutletId) && h.HourUtc >= fromUtc && h.Status == valid)
            .Select(h => new { h.OutletId, h.FactorCode, h.HourUtc, Value = h.Corrected ?? h.Mean }).ToListAsync(ct);
        var byId = near.ToDictionary(o => o.Id);
        return hours.Where(h => byId[h.OutletId].Factors.FirstOrDefault(f => f.FactorCode == h.FactorCode)?.Limit is { } l && l > 0 && h.Value > (double)l)
            .Select(h => ($"{byId[h.OutletId].Enterprise.Name} {byId[h.OutletId].Code} {h.FactorCode}", h.HourUtc)).ToList();
    }

    /// <summary>An enterprise's cumulative mass this year against its verified or permitted total (EnterpriseQuota), per pollutant.</summary>
    private async Task AnnualForEnterpriseAsync(ZongliangDbContext db, Enterprise enterprise, WarningChanges changes, CancellationToken ct)
    {
        var today = BeijingTime.Date(changes.Now);
        var quotas = await db.EnterpriseQuotas.AsNoTracking().Where(q => q.EnterpriseId == enterprise.Id && q.Year == today.Year && q.Tonnes > 0).ToListAsync(ct);
        if (quotas.Count == 0) return;
        var first = new DateOnly(today.Year, 1, 1);
        var start = BeijingTime.DayStartUtc(first);
        var existing = await db.Warnings.Where(w => w.Kind == WarningKind.AnnualTotal && w.EnterpriseId == enterprise.Id && w.StartUtc == start).ToListAsync(ct);
        foreach (var quota in quotas)
        {
            var factor = Pollutants.FactorCode(quota.Pollutant);
            var kg = await (from d in db.DayAggregates join o in db.Outlets on d.OutletId equals o.Id
                            where o.EnterpriseId == enterprise.Id && d.FactorCode == factor && d.Day >= first
                            select d.MassKg).SumAsync(ct);
            var tonnes = kg / 1000;
            WarningPolicy.AnnualTotal(changes, existing, quota.Pollutant, start, tonnes, (double)quota.Tonnes,
                WarningPolicy.EnterpriseAnnualMessage(enterprise.Name, today.Year, quota.Pollutant, tonnes, quota.Tonnes, quota.Source), rules);
        }
    }

    /// <summary>Opens a linkage case for each open warning that reaches the rule's level and has none yet, and tells the inspection section.</summary>
    private async Task OpenCasesAsync(ZongliangDbContext db, WarningChanges changes, CancellationToken ct)
    {
        foreach (var w in WarningPolicy.CasesToOpen(changes, rules))
            await CaseService.OpenFromWarningAsync(db, w, "system", changes.Now, ct);
        foreach (var w in WarningPolicy.ToAnnounce(changes))
            await Notifier.NotifyAsync(db, new Recipients([Roles.County, Roles.MonitoringStation, Roles.Enterprise], w.RegionId, w.EnterpriseId),
                WarningPolicy.AnnouncementTitle(w), w.Message, $"/Warnings?id={w.Id}", changes.Now, ct);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Device offline, no valid data, comparison overdue, each county's monitored mass against its
    /// ledger, and overdue cases (escalated once to the section). Runs every minute.
    /// </summary>
    public Task<int> SweepAsync(CancellationToken ct) => SerialAsync(async db =>
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var count = 0;
        var existing = await db.Warnings.Where(w => w.ClosedAtUtc == null
            && (w.Kind == WarningKind.DeviceOffline || w.Kind == WarningKind.NoData || w.Kind == WarningKind.ComparisonOverdue
                || w.Kind == WarningKind.ClockFault)).ToListAsync(ct);
        var devices = await db.Devices.AsNoTracking().Where(d => d.State == DeviceState.Networked)
            .Select(d => new { d.Id, d.Mn, d.OutletId, d.Outlet.EnterpriseId, d.Outlet.Enterprise.RegionId, Enterprise = d.Outlet.Enterprise.Name, d.NetworkedOn }).ToListAsync(ct);
        var seen = await db.DeviceStatuses.AsNoTracking().ToDictionaryAsync(s => s.DeviceId, s => s.LastSeenUtc, ct);
        var faultSince = now - DeviceClockFault.RunGap;
        var faults = await db.DeviceClockFaults.AsNoTracking().Where(f => f.LastAtUtc >= faultSince)
            .Join(db.Devices, f => f.DeviceId, d => d.Id, (f, d) => new SweptClockFault(f, d.Mn, d.OutletId, d.Outlet.EnterpriseId, d.Outlet.Enterprise.RegionId, d.Outlet.Enterprise.Name))
            .ToListAsync(ct);
        var outletIds = devices.Select(d => d.OutletId).Distinct().ToList();
        var lastValid = await db.HourAggregates.AsNoTracking().Where(h => outletIds.Contains(h.OutletId) && h.Status == PeriodStatus.Valid)
            .GroupBy(h => h.OutletId).Select(g => new { g.Key, Last = g.Max(h => h.HourUtc) }).ToDictionaryAsync(x => x.Key, x => x.Last, ct);
        var stored = await db.HourAggregates.AsNoTracking().Where(h => outletIds.Contains(h.OutletId))
            .GroupBy(h => h.OutletId).Select(g => new { g.Key, First = g.Min(h => h.HourUtc), Last = g.Max(h => h.HourUtc) }).ToListAsync(ct);
        var today = BeijingTime.Date(now);
        var overdue = await db.ComparisonTasks.AsNoTracking().Where(t => t.State == ComparisonState.Open && t.Due < today)
            .Join(db.Outlets, t => t.OutletId, o => o.Id, (t, o) => new SweptComparison(t.Id, t.Label, t.Due, t.OutletId, o.EnterpriseId, o.Enterprise.RegionId, o.Enterprise.Name, o.Code))
            .ToListAsync(ct);
        var facts = new SweepFacts(
            [.. devices.Select(d => new SweptDevice(d.Id, d.Mn, d.OutletId, d.EnterpriseId, d.RegionId, d.Enterprise, d.NetworkedOn, seen.TryGetValue(d.Id, out var t) ? t : null))],
            faults,
            stored.ToDictionary(x => x.Key, x => new SweptOutletHours(x.First, x.Last, lastValid.TryGetValue(x.Key, out var v) ? v : null)),
            overdue);

        var outcome = SweepPolicy.Sweep(facts, existing, rules, now);
        db.Warnings.AddRange(outcome.Added);
        count += outcome.Added.Count;
        foreach (var w in outcome.FellSilent)
            await Notifier.NotifyAsync(db, new Recipients([Roles.County, Roles.MonitoringStation], w.RegionId), "设备离线", w.Message, $"/Warnings?kind={WarningKind.DeviceOffline}", now, ct);

        // Each county's monitored mass against its ledger (allowed total).
        count += await RegionalTotalsAsync(db, now, ct);
        await db.SaveChangesAsync(ct);
        count += await CaseService.EscalateOverdueAsync(db, now, ct);
        count += await Supervision.SupervisionService.CreateDeadlineTasksAsync(db, rules, now, ct);
        return count;
    }, ct);

    private async Task<int> RegionalTotalsAsync(ZongliangDbContext db, DateTime now, CancellationToken ct)
    {
        var year = BeijingTime.Date(now).Year;
        var start = BeijingTime.DayStartUtc(new DateOnly(year, 1, 1));
        var targets = await db.RegionTargets.AsNoTracking().Where(t => t.Year == year).ToListAsync(ct);
        var regions = await db.Regions.AsNoTracking().ToDictionaryAsync(r => r.Id, r => r.Name, ct);
        var existing = await db.Warnings.Where(w => w.Kind == WarningKind.AnnualTotal && w.EnterpriseId == null && w.StartUtc == start).ToListAsync(ct);
        var changes = new WarningChanges(0, null, null, now);
        foreach (var pollutant in targets.Select(t => t.Pollutant).Distinct())
        {
            var monitored = await LedgerQueries.MonitoredTonnesAsync(db, year, pollutant, ct);
            foreach (var target in targets.Where(t => t.Pollutant == pollutant && t.AllowedTotal > 0))
            {
                var tonnes = (double)monitored.GetValueOrDefault(target.RegionId);
                var mine = existing.Where(w => w.RegionId == target.RegionId).ToList();
                changes.RegionId = target.RegionId;
                WarningPolicy.AnnualTotal(changes, mine, pollutant, start, tonnes, (double)target.AllowedTotal,
                    WarningPolicy.RegionAnnualMessage(regions.GetValueOrDefault(target.RegionId) ?? "", year, pollutant, tonnes, target.AllowedTotal), rules);
            }
        }
        db.Warnings.AddRange(changes.Added);
        return changes.Count;
    }
}

/// <summary>Tells the dashboards that warnings changed (a counter they poll), so they refresh without reload.</summary>
public sealed class WarningSignal
{
    private long _version;
    public long Version => Interlocked.Read(ref _version);
    public void Changed() => Interlocked.Increment(ref _version);
}
