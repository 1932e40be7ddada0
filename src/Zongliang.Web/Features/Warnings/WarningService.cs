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
/// One evaluation at a time, so an episode is never raised twice.
/// </summary>
public sealed class WarningService(IServiceScopeFactory scopes, WarningRules rules, ValidityRules validity, TimeProvider clock,
    WarningSignal signal, ILogger<WarningService> log) : IAggregatesObserver
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

    private async Task<T> SerialAsync<T>(Func<ZongliangDbContext, Task<T>> work, CancellationToken ct)
    {
        await _one.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ScopeAccessor>().Scope = AccessScope.System("warnings");
            var db = scope.ServiceProvider.GetRequiredService<ZongliangDbContext>();
            var result = await work(db);
            signal.Changed();
            return result;
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>Exceedance episodes, suspicions and the enterprise's annual totals for one outlet; returns the warnings raised or changed.</summary>
    public Task<int> EvaluateOutletAsync(int outletId, CancellationToken ct) => SerialAsync(async db =>
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var outlet = await db.Outlets.AsNoTracking().Include(o => o.Factors).Include(o => o.Enterprise)
            .FirstOrDefaultAsync(o => o.Id == outletId, ct);
        if (outlet is null) return 0;
        var changes = new Changes(db, outlet.Enterprise.RegionId, outlet.EnterpriseId, outlet.Id, now);
        var existing = await db.Warnings.Where(w => w.OutletId == outletId && (w.Kind == WarningKind.Exceedance || w.Kind == WarningKind.Suspicion)
            && (w.ClosedAtUtc == null || w.StartUtc >= now.AddDays(-rules.Exceedance.LookbackDays.Value - 1))).ToListAsync(ct);

        // The window reaches back to the start of any open episode, so an episode is never cut in two.
        var hourFrom = ValidityEngine.TruncateHour(now).AddHours(-rules.Exceedance.LookbackHours.Value);
        var dayFrom = BeijingTime.Date(now).AddDays(-(int)rules.Exceedance.LookbackDays.Value);
        foreach (var open in existing.Where(w => w.IsOpen && w.Kind == WarningKind.Exceedance))
        {
            if (open.StartUtc < hourFrom) hourFrom = open.StartUtc;
            if (BeijingTime.Date(open.StartUtc) < dayFrom) dayFrom = BeijingTime.Date(open.StartUtc);
        }
        var hours = await db.HourAggregates.AsNoTracking().Where(h => h.OutletId == outletId && h.HourUtc >= hourFrom)
            .OrderBy(h => h.HourUtc).ToListAsync(ct);
        var limits = outlet.Factors.Where(f => f.Limit > 0).ToDictionary(f => f.FactorCode, f => (double)f.Limit!.Value);
        var hourly = rules.HourlyFor(outlet.Medium);
        Dictionary<string, List<DayAggregate>> days = [];
        if (!hourly)
            days = (await db.DayAggregates.AsNoTracking().Where(d => d.OutletId == outletId && d.Day >= dayFrom).OrderBy(d => d.Day).ToListAsync(ct))
                .GroupBy(d => d.FactorCode).ToDictionary(g => g.Key, g => g.ToList());
        var byFactor = hours.GroupBy(h => h.FactorCode).ToDictionary(g => g.Key, g => g.ToList());
        var units = await db.Factors.AsNoTracking().ToDictionaryAsync(f => f.Code, f => (f.Name, f.Unit), ct);
        string Name(string code) => units.TryGetValue(code, out var u) ? u.Name : code;
        string Unit(string code) => units.TryGetValue(code, out var u) ? u.Unit : "";
        // The detectors speak in factor codes; the evidence shown to people names the factors.
        string Named(string evidence) => units.Where(kv => evidence.Contains(kv.Key, StringComparison.Ordinal))
            .Aggregate(evidence, (e, kv) => e.Replace(kv.Key, kv.Value.Name, StringComparison.Ordinal));

        // Exceedance episodes.
        var windowStart = hourly ? hourFrom : BeijingTime.DayStartUtc(dayFrom);
        foreach (var (code, limit) in limits)
        {
            var points = hourly
                ? byFactor.GetValueOrDefault(code, []).Select(h => new PeriodPoint(h.HourUtc, h.Status == PeriodStatus.Valid ? h.Corrected ?? h.Mean : null)).ToList()
                : days.GetValueOrDefault(code, []).Select(d => new PeriodPoint(BeijingTime.DayStartUtc(d.Day), d.Status == PeriodStatus.Valid ? d.Mean : null)).ToList();
            foreach (var e in ExceedanceEvaluator.Episodes(points, limit, rules.Exceedance.PreWarningPercent.Value, (int)rules.Exceedance.ContinuousPeriods.Value))
            {
                var period = hourly ? "小时" : "日";
                var what = e.Level switch
                {
                    WarningLevel.Red => $"连续{e.LongestRun}个{period}超标",
                    WarningLevel.Orange => $"{e.OverPeriods}个{period}超标",
                    _ => $"达到限值的{rules.Exceedance.PreWarningPercent.Value:0}%",
                };
                var message = $"{outlet.Enterprise.Name} {outlet.Code} {Name(code)}{(hourly ? "小时均值" : "日均值")}{what}，最高 {e.Peak.ToString("0.##", CultureInfo.InvariantCulture)} {Unit(code)}（限值 {limit:0.##}）";
                var evidence = $"{BeijingTime.Format(e.StartUtc)} 起 {e.Periods} 个{period}不低于预警值，其中 {e.OverPeriods} 个超过限值，最长连续 {e.LongestRun} 个；{(e.Open ? "仍在持续" : "已恢复正常")}";
                // A closed episode updates its warning only while the warning is open (it closes now); an open one reopens it.
                var w = changes.Upsert(existing, WarningKind.Exceedance, code, "", e.StartUtc, e.LastUtc, e.Level, e.Peak, limit, 0, message, evidence, reopen: e.Open);
                if (!e.Open) w.Close("数据已恢复正常", now);
                changes.Track(w);
            }
        }
        // An episode that is no longer there (an auditor judged its hours invalid) closes.
        foreach (var gone in existing.Where(w => w.Kind == WarningKind.Exceedance && w.IsOpen && w.StartUtc >= windowStart && !changes.Touched(w)))
            gone.Close("复核后不再超标", now);

        // Suspicions.
        var points2 = byFactor.ToDictionary(kv => kv.Key, kv => kv.Value.Select(h => new HourPoint(h.HourUtc,
            h.Corrected ?? h.Mean, h.Status == PeriodStatus.Valid,
            h.Status == PeriodStatus.Stopped, h.ManualCount, h.Notice == NoticeKind.Maintenance)).ToArray());
        var flow = validity.For(outlet.Medium).Mass.FlowFactor;
        var found = new List<Suspicion>();
        foreach (var (code, limit) in limits)
        {
            var series = points2.GetValueOrDefault(code, []);
            found.AddRange(SuspicionDetectors.FindFlatBelowLimit(code, series, limit, rules.Suspicion.FlatBelowLimit));
            found.AddRange(SuspicionDetectors.FindSharpDrop(code, series, points2.GetValueOrDefault(flow, []), limit, rules.Suspicion.SharpDrop));
        }
        found.AddRange(SuspicionDetectors.FindManualDuringExceedance(points2, limits));
        found.AddRange(SuspicionDetectors.FindGapDuringExceedance(points2, limits, await NeighbourExceedancesAsync(db, outlet, hourFrom, ct)));
        found.AddRange(SuspicionDetectors.FindZeroFlow(flow, points2));
        var smoothFrom = now.AddHours(-rules.Suspicion.SmoothMinutes.WindowHours.Value);
        var minuteKind = ReadingKind.Minute;
        var minutes = await db.Readings.AsNoTracking().Where(r => r.OutletId == outletId && r.Kind == minuteKind && r.TimeUtc >= smoothFrom && r.Value != null && r.Flag == "N")
            .Select(r => new { r.FactorCode, r.TimeUtc, r.Value }).ToListAsync(ct);
        foreach (var g in minutes.Where(m => limits.ContainsKey(m.FactorCode)).GroupBy(m => m.FactorCode))
            if (SuspicionDetectors.FindSmoothMinutes(g.Key, g.OrderBy(m => m.TimeUtc).Select(m => (m.TimeUtc, m.Value!.Value)).ToList(), rules.Suspicion.SmoothMinutes) is { } smooth)
                found.Add(smooth with { StartUtc = ValidityEngine.TruncateHour(smooth.StartUtc) });
        foreach (var s in found)
        {
            var level = SuspicionDetectors.LevelOf(s.Score);
            var w = changes.Upsert(existing, WarningKind.Suspicion, s.FactorCode, s.Rule, s.StartUtc, s.LastUtc, level, null, limits.TryGetValue(s.FactorCode, out var l) ? l : null, s.Score,
                $"{outlet.Enterprise.Name} {outlet.Code} {Name(s.FactorCode)}：{SuspicionDetectors.Label(s.Rule)}（评分 {s.Score}）", Named(s.Evidence), reopen: false);
            changes.Track(w);
        }
        foreach (var gone in existing.Where(w => w.Kind == WarningKind.Suspicion && w.IsOpen && w.CaseId is null && w.StartUtc >= hourFrom.AddHours(3) && !changes.Touched(w)))
            gone.Close("复核后不再符合疑点特征", now);

        await AnnualForEnterpriseAsync(db, outlet.Enterprise, changes, ct);
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
    private async Task AnnualForEnterpriseAsync(ZongliangDbContext db, Enterprise enterprise, Changes changes, CancellationToken ct)
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
            AnnualWarning(changes, existing, quota.Pollutant, start, tonnes, (double)quota.Tonnes,
                $"{enterprise.Name} {today.Year}年{Pollutants.Label(quota.Pollutant)}累计排放 {tonnes:0.###} t，为{quota.Source}总量 {quota.Tonnes:0.###} t 的 {tonnes / (double)quota.Tonnes:0.#%}");
        }
    }

    private void AnnualWarning(Changes changes, List<Warning> existing, string pollutant, DateTime start, double tonnes, double total, string message)
    {
        var level = ExceedanceEvaluator.AnnualLevel(tonnes, total, rules.Annual.Percents.Select(p => p.Value).ToList());
        var open = existing.FirstOrDefault(w => w.Subject == pollutant);
        if (level is null)
        {
            open?.Close("累计排放量低于预警比例", changes.Now);
            return;
        }
        var w = changes.Upsert(existing, WarningKind.AnnualTotal, pollutant, "", start, changes.Now, level.Value, tonnes, total, 0, message, $"截至 {BeijingTime.Format(changes.Now)}（在线监测有效日排放量累计）");
        changes.Track(w);
    }

    /// <summary>Opens a linkage case for each open warning that reaches the rule's level and has none yet, and tells the inspection section.</summary>
    private async Task OpenCasesAsync(ZongliangDbContext db, Changes changes, CancellationToken ct)
    {
        // An exceedance is handed over even when it has already ended (M3: every exceedance found is handled
        // by law); a suspicion only while it stands (a dismissed one stays dismissed).
        var open = changes.Raised.Where(w => w.CaseId is null && w.EnterpriseId is not null
            && (w.Kind == WarningKind.Exceedance && (int)w.PeakLevel >= rules.Exceedance.OpenCaseAtLevel.Value
                || w.Kind == WarningKind.Suspicion && w.IsOpen && w.Score >= rules.Suspicion.OpenCaseAtScore.Value)).ToList();
        foreach (var w in open)
            await CaseService.OpenFromWarningAsync(db, w, "system", changes.Now, ct);
        foreach (var w in changes.Raised.Where(w => w.IsOpen && changes.IsNewOrUp(w) && w.PeakLevel >= WarningLevel.Orange))
            await Notifier.NotifyAsync(db, new Recipients([Roles.County, Roles.MonitoringStation, Roles.Enterprise], w.RegionId, w.EnterpriseId),
                $"{Warning.LevelLabel(w.PeakLevel)}{Warning.KindLabel(w.Kind)}", w.Message, $"/Warnings?id={w.Id}", changes.Now, ct);
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
        var touched = new HashSet<Warning>();

        // Devices: networked, and not heard from within the offline time (never: since it was networked).
        var offlineAfter = TimeSpan.FromMinutes(rules.Device.OfflineMinutes.Value);
        var devices = await db.Devices.AsNoTracking().Where(d => d.State == DeviceState.Networked)
            .Select(d => new { d.Id, d.Mn, d.OutletId, d.Outlet.EnterpriseId, d.Outlet.Enterprise.RegionId, Enterprise = d.Outlet.Enterprise.Name, d.NetworkedOn }).ToListAsync(ct);
        var seen = await db.DeviceStatuses.AsNoTracking().ToDictionaryAsync(s => s.DeviceId, s => s.LastSeenUtc, ct);
        foreach (var d in devices)
        {
            var last = seen.TryGetValue(d.Id, out var t) ? t : (DateTime?)null;
            if (last is { } l && now - l <= offlineAfter) continue;
            var since = last ?? (d.NetworkedOn is { } n ? BeijingTime.DayStartUtc(n) : now);
            var w = Find(existing, WarningKind.DeviceOffline, d.OutletId, d.Mn, since);
            var level = now - since > TimeSpan.FromDays(1) ? WarningLevel.Orange : WarningLevel.Yellow;
            var message = $"{d.Enterprise} 设备 {d.Mn} 离线，{(last is null ? "联网后从未上报" : "最后通信 " + BeijingTime.Format(since))}";
            if (w is null)
            {
                w = Warning.Raise(WarningKind.DeviceOffline, level, d.RegionId, d.EnterpriseId, d.OutletId, d.Mn, "", since, now, null, null, 0, message, $"离线判定：超过 {rules.Device.OfflineMinutes.Value:0} 分钟无通信", now);
                db.Warnings.Add(w);
                existing.Add(w);
                count++;
                // The offline alarm: a device that was reporting and fell silent (one never heard from is a registry matter).
                if (last is not null)
                    await Notifier.NotifyAsync(db, new Recipients([Roles.County, Roles.MonitoringStation], d.RegionId), "设备离线", message, $"/Warnings?kind={WarningKind.DeviceOffline}", now, ct);
            }
            else w.Update(level, now, null, 0, message, w.Evidence);
            touched.Add(w);
        }

        // Devices whose data carry impossible times (a reset clock): their values are kept out of the readings while it lasts.
        var faultSince = now - DeviceClockFault.RunGap;
        var faults = await db.DeviceClockFaults.AsNoTracking().Where(f => f.LastAtUtc >= faultSince)
            .Join(db.Devices, f => f.DeviceId, d => d.Id, (f, d) => new { Fault = f, d.Mn, d.OutletId, d.Outlet.EnterpriseId, d.Outlet.Enterprise.RegionId, Enterprise = d.Outlet.Enterprise.Name })
            .ToListAsync(ct);
        foreach (var f in faults)
        {
            var w = Find(existing, WarningKind.ClockFault, f.OutletId, f.Mn, f.Fault.FirstAtUtc);
            var message = $"{f.Enterprise} 设备 {f.Mn} 时钟异常：{DataTimeWindow.Describe(f.Fault.Verdict)}（数据时间 {f.Fault.LastDataTime}），{f.Fault.Packets} 包未计入监测数据";
            if (w is null)
            {
                w = Warning.Raise(WarningKind.ClockFault, WarningLevel.Yellow, f.RegionId, f.EnterpriseId, f.OutletId, f.Mn, "", f.Fault.FirstAtUtc, f.Fault.LastAtUtc, null, null, 0, message,
                    "数据时间超出合理范围的数据包已存档并应答，但不计入监测数据；平台已下发校时（1012）", now);
                db.Warnings.Add(w);
                existing.Add(w);
                count++;
            }
            else w.Update(WarningLevel.Yellow, f.Fault.LastAtUtc, null, 0, message, w.Evidence);
            touched.Add(w);
        }

        // Outlets of networked devices with no valid hour for the configured time.
        var noData = TimeSpan.FromHours(rules.Device.NoDataHours.Value);
        var outletIds = devices.Select(d => d.OutletId).Distinct().ToList();
        var lastValid = await db.HourAggregates.AsNoTracking().Where(h => outletIds.Contains(h.OutletId) && h.Status == PeriodStatus.Valid)
            .GroupBy(h => h.OutletId).Select(g => new { g.Key, Last = g.Max(h => h.HourUtc) }).ToDictionaryAsync(x => x.Key, x => x.Last, ct);
        var stored = await db.HourAggregates.AsNoTracking().Where(h => outletIds.Contains(h.OutletId))
            .GroupBy(h => h.OutletId).Select(g => new { g.Key, First = g.Min(h => h.HourUtc), Last = g.Max(h => h.HourUtc) }).ToDictionaryAsync(x => x.Key, ct);
        foreach (var d in devices.DistinctBy(d => d.OutletId))
        {
            // Only outlets that have stored hours are judged: the aggregation has not seen the others yet.
            if (!stored.TryGetValue(d.OutletId, out var range)) continue;
            var since = lastValid.TryGetValue(d.OutletId, out var v) ? v.AddHours(1) : range.First;
            if (range.Last.AddHours(1) - since < noData) continue;
            var w = Find(existing, WarningKind.NoData, d.OutletId, "", since);
            var message = $"{d.Enterprise} 排放口自 {BeijingTime.Format(since)} 起无有效小时数据";
            if (w is null)
            {
                w = Warning.Raise(WarningKind.NoData, WarningLevel.Orange, d.RegionId, d.EnterpriseId, d.OutletId, "", "", since, now, null, null, 0, message, $"判定：连续 {rules.Device.NoDataHours.Value:0} 小时及以上无有效数据", now);
                db.Warnings.Add(w);
                existing.Add(w);
                count++;
            }
            else w.Update(WarningLevel.Orange, now, null, 0, message, w.Evidence);
            touched.Add(w);
        }

        // Comparison tasks past their due date.
        var today = BeijingTime.Date(now);
        var overdue = await db.ComparisonTasks.AsNoTracking().Where(t => t.State == ComparisonState.Open && t.Due < today)
            .Join(db.Outlets, t => t.OutletId, o => o.Id, (t, o) => new { t.Id, t.Label, t.Due, t.OutletId, o.EnterpriseId, o.Enterprise.RegionId, Enterprise = o.Enterprise.Name, o.Code })
            .ToListAsync(ct);
        foreach (var t in overdue)
        {
            var subject = t.Id.ToString(CultureInfo.InvariantCulture);
            var since = BeijingTime.DayStartUtc(t.Due.AddDays(1));
            var w = Find(existing, WarningKind.ComparisonOverdue, t.OutletId, subject, since);
            var message = $"{t.Enterprise} {t.Code} {t.Label} 已逾期 {today.DayNumber - t.Due.DayNumber} 天（应于 {t.Due:yyyy-MM-dd} 前完成）";
            if (w is null)
            {
                w = Warning.Raise(WarningKind.ComparisonOverdue, WarningLevel.Yellow, t.RegionId, t.EnterpriseId, t.OutletId, subject, "", since, now, null, null, 0, message, "比对监测任务逾期未完成", now);
                db.Warnings.Add(w);
                existing.Add(w);
                count++;
            }
            else w.Update(WarningLevel.Yellow, now, null, 0, message, w.Evidence);
            touched.Add(w);
        }
        foreach (var w in existing.Where(w => w.IsOpen && !touched.Contains(w)))
            w.Close(w.Kind switch { WarningKind.DeviceOffline => "设备恢复通信", WarningKind.NoData => "恢复有效数据", WarningKind.ClockFault => "数据时间恢复正常", _ => "任务已完成" }, now);

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
        var changes = new Changes(db, 0, null, null, now);
        foreach (var pollutant in targets.Select(t => t.Pollutant).Distinct())
        {
            var monitored = await LedgerQueries.MonitoredTonnesAsync(db, year, pollutant, ct);
            foreach (var target in targets.Where(t => t.Pollutant == pollutant && t.AllowedTotal > 0))
            {
                var tonnes = (double)monitored.GetValueOrDefault(target.RegionId);
                var mine = existing.Where(w => w.RegionId == target.RegionId).ToList();
                changes.RegionId = target.RegionId;
                AnnualWarning(changes, mine, pollutant, start, tonnes, (double)target.AllowedTotal,
                    $"{regions.GetValueOrDefault(target.RegionId)} {year}年{Pollutants.Label(pollutant)}在线监测累计 {tonnes:0.###} t，为控制总量 {target.AllowedTotal:0.###} t 的 {tonnes / (double)target.AllowedTotal:0.#%}");
            }
        }
        return changes.Count;
    }

    private static Warning? Find(List<Warning> existing, WarningKind kind, int? outletId, string subject, DateTime start) =>
        existing.FirstOrDefault(w => w.Kind == kind && w.OutletId == outletId && w.Subject == subject && w.StartUtc == start);

    /// <summary>The warnings one evaluation raised or changed, keyed like the unique index.</summary>
    private sealed class Changes(ZongliangDbContext db, int regionId, int? enterpriseId, int? outletId, DateTime now)
    {
        private readonly HashSet<Warning> _touched = [];
        private readonly HashSet<Warning> _newOrUp = [];
        public int RegionId { get; set; } = regionId;
        public DateTime Now => now;
        public int Count => _touched.Count;
        public IEnumerable<Warning> Raised => _touched;
        public bool Touched(Warning w) => _touched.Contains(w);
        public bool IsNewOrUp(Warning w) => _newOrUp.Contains(w);
        public void Track(Warning w) => _touched.Add(w);

        public Warning Upsert(List<Warning> existing, WarningKind kind, string subject, string rule, DateTime start, DateTime last, WarningLevel level,
            double? value, double? limit, int score, string message, string evidence, bool reopen = true)
        {
            var w = existing.FirstOrDefault(x => x.Kind == kind && x.Subject == subject && x.Rule == rule && x.StartUtc == start && x.RegionId == RegionId);
            if (w is null)
            {
                w = Warning.Raise(kind, level, RegionId, enterpriseId, outletId, subject, rule, start, last, value, limit, score, message, evidence, now);
                db.Warnings.Add(w);
                existing.Add(w);
                _newOrUp.Add(w);
            }
            else if (w.IsOpen || reopen)
            {
                if (w.Update(level, last, value, score, message, evidence))
                    _newOrUp.Add(w);
            }
            return w;
        }
    }
}

/// <summary>Tells the dashboards that warnings changed (a counter they poll), so they refresh without reload.</summary>
public sealed class WarningSignal
{
    private long _version;
    public long Version => Interlocked.Read(ref _version);
    public void Changed() => Interlocked.Increment(ref _version);
}
