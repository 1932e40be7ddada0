using System.Globalization;
using Zongliang.Domain.Common;
using Zongliang.Domain.Monitoring;
using Zongliang.Domain.Monitoring.Validity;
using Zongliang.Domain.Quotas;

namespace Zongliang.Domain.Warnings;

/// <summary>An outlet as the warning policy sees it: who it belongs to, its limits and how its data are judged.</summary>
/// <param name="Hourly">Gas is judged on hourly means, water on daily means (the rules' basis).</param>
/// <param name="Limits">The factors with a discharge limit, by code.</param>
/// <param name="Factors">Each factor's Chinese name and unit, by code, for the texts.</param>
public sealed record OutletSubject(int RegionId, int EnterpriseId, int OutletId, string EnterpriseName, string OutletCode, bool Hourly,
    IReadOnlyDictionary<string, double> Limits, string FlowFactor, IReadOnlyDictionary<string, (string Name, string Unit)> Factors);

/// <summary>The outlet's data within the policy's window (<see cref="WarningPolicy.OutletWindow"/>).</summary>
/// <param name="NeighbourExceedances">Valid hours over the limit at neighbouring sources since the window's first hour.</param>
/// <param name="RecentMinutes">Valid ("N") minute values since <see cref="WarningPolicy.SmoothFrom"/>.</param>
public sealed record OutletData(IReadOnlyList<HourAggregate> Hours, IReadOnlyList<DayAggregate> Days,
    IReadOnlyList<(string Source, DateTime HourUtc)> NeighbourExceedances, IReadOnlyList<(string FactorCode, DateTime TimeUtc, double Value)> RecentMinutes);

/// <summary>
/// What one evaluation decided: the warnings it raised (to be added), every warning it raised or
/// kept (touched), and among them those new or changed. Existing warnings are updated and closed in place.
/// </summary>
public sealed class WarningChanges(int regionId, int? enterpriseId, int? outletId, DateTime now)
{
    private readonly HashSet<Warning> _touched = [];
    private readonly HashSet<Warning> _newOrUp = [];
    private readonly List<Warning> _added = [];

    public int RegionId { get; set; } = regionId;
    public DateTime Now => now;
    public int Count => _touched.Count;
    public IReadOnlyCollection<Warning> Raised => _touched;
    public IReadOnlyList<Warning> Added => _added;
    public bool Touched(Warning w) => _touched.Contains(w);
    public bool IsNewOrUp(Warning w) => _newOrUp.Contains(w);
    public void Track(Warning w) => _touched.Add(w);

    /// <summary>The episode's warning: raised when new; updated when open, or when <paramref name="reopen"/>.</summary>
    public Warning Upsert(List<Warning> existing, WarningKind kind, string subject, string rule, DateTime start, DateTime last, WarningLevel level,
        double? value, double? limit, int score, string message, string evidence, bool reopen = true)
    {
        var w = existing.FirstOrDefault(x => x.Kind == kind && x.Subject == subject && x.Rule == rule && x.StartUtc == start && x.RegionId == RegionId);
        if (w is null)
        {
            w = Warning.Raise(kind, level, RegionId, enterpriseId, outletId, subject, rule, start, last, value, limit, score, message, evidence, now);
            _added.Add(w);
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

/// <summary>
/// When a warning is raised, updated and closed, what it says, and which warnings open a linkage case
/// or are announced: a function of the outlet's hours and days, the existing warnings, the rules and
/// the time. The warning service loads these and saves what comes out.
/// </summary>
public static class WarningPolicy
{
    /// <summary>
    /// The hours and days the outlet evaluation looks at: the rules' look-back, reaching back to the start
    /// of any open exceedance episode, so an episode is never cut in two.
    /// </summary>
    public static (DateTime HourFrom, DateOnly DayFrom) OutletWindow(IEnumerable<Warning> existing, WarningRules rules, DateTime now)
    {
        var hourFrom = ValidityEngine.TruncateHour(now).AddHours(-rules.Exceedance.LookbackHours.Value);
        var dayFrom = BeijingTime.Date(now).AddDays(-(int)rules.Exceedance.LookbackDays.Value);
        foreach (var open in existing.Where(w => w.IsOpen && w.Kind == WarningKind.Exceedance))
        {
            if (open.StartUtc < hourFrom) hourFrom = open.StartUtc;
            if (BeijingTime.Date(open.StartUtc) < dayFrom) dayFrom = BeijingTime.Date(open.StartUtc);
        }
        return (hourFrom, dayFrom);
    }

    /// <summary>The existing warnings an outlet evaluation needs: exceedances and suspicions open, or started within the look-back.</summary>
    public static DateTime ExistingSince(WarningRules rules, DateTime now) => now.AddDays(-rules.Exceedance.LookbackDays.Value - 1);

    /// <summary>The first minute the smooth-minutes detector looks at.</summary>
    public static DateTime SmoothFrom(WarningRules rules, DateTime now) => now.AddHours(-rules.Suspicion.SmoothMinutes.WindowHours.Value);

    /// <summary>Exceedance episodes and suspicions of one outlet, into <paramref name="changes"/>.</summary>
    public static void EvaluateOutlet(OutletSubject outlet, OutletData data, List<Warning> existing, WarningRules rules, WarningChanges changes)
    {
        var now = changes.Now;
        var (hourFrom, dayFrom) = OutletWindow(existing, rules, now);
        string Name(string code) => outlet.Factors.TryGetValue(code, out var u) ? u.Name : code;
        string Unit(string code) => outlet.Factors.TryGetValue(code, out var u) ? u.Unit : "";
        // The detectors speak in factor codes; the evidence shown to people names the factors.
        string Named(string evidence) => outlet.Factors.Where(kv => evidence.Contains(kv.Key, StringComparison.Ordinal))
            .Aggregate(evidence, (e, kv) => e.Replace(kv.Key, kv.Value.Name, StringComparison.Ordinal));
        var hours = data.Hours.Where(h => h.HourUtc >= hourFrom).OrderBy(h => h.HourUtc).ToList();
        var byFactor = hours.GroupBy(h => h.FactorCode).ToDictionary(g => g.Key, g => g.ToList());
        var days = data.Days.Where(d => d.Day >= dayFrom).OrderBy(d => d.Day).GroupBy(d => d.FactorCode).ToDictionary(g => g.Key, g => g.ToList());

        // Exceedance episodes.
        var hourly = outlet.Hourly;
        var windowStart = hourly ? hourFrom : BeijingTime.DayStartUtc(dayFrom);
        foreach (var (code, limit) in outlet.Limits)
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
                var message = $"{outlet.EnterpriseName} {outlet.OutletCode} {Name(code)}{(hourly ? "小时均值" : "日均值")}{what}，最高 {e.Peak.ToString("0.##", CultureInfo.InvariantCulture)} {Unit(code)}（限值 {limit:0.##}）";
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
        var series = byFactor.ToDictionary(kv => kv.Key, kv => kv.Value.Select(h => new HourPoint(h.HourUtc,
            h.Corrected ?? h.Mean, h.Status == PeriodStatus.Valid,
            h.Status == PeriodStatus.Stopped, h.ManualCount, h.Notice == NoticeKind.Maintenance)).ToArray());
        var flow = outlet.FlowFactor;
        var found = new List<Suspicion>();
        foreach (var (code, limit) in outlet.Limits)
        {
            var points = series.GetValueOrDefault(code, []);
            found.AddRange(SuspicionDetectors.FindFlatBelowLimit(code, points, limit, rules.Suspicion.FlatBelowLimit));
            found.AddRange(SuspicionDetectors.FindSharpDrop(code, points, series.GetValueOrDefault(flow, []), limit, rules.Suspicion.SharpDrop));
        }
        found.AddRange(SuspicionDetectors.FindManualDuringExceedance(series, outlet.Limits));
        found.AddRange(SuspicionDetectors.FindGapDuringExceedance(series, outlet.Limits, data.NeighbourExceedances));
        found.AddRange(SuspicionDetectors.FindZeroFlow(flow, series));
        var smoothFrom = SmoothFrom(rules, now);
        foreach (var g in data.RecentMinutes.Where(m => m.TimeUtc >= smoothFrom && outlet.Limits.ContainsKey(m.FactorCode)).GroupBy(m => m.FactorCode))
            if (SuspicionDetectors.FindSmoothMinutes(g.Key, g.OrderBy(m => m.TimeUtc).Select(m => (m.TimeUtc, m.Value)).ToList(), rules.Suspicion.SmoothMinutes) is { } smooth)
                found.Add(smooth with { StartUtc = ValidityEngine.TruncateHour(smooth.StartUtc) });
        foreach (var s in found)
        {
            var level = SuspicionDetectors.LevelOf(s.Score);
            var w = changes.Upsert(existing, WarningKind.Suspicion, s.FactorCode, s.Rule, s.StartUtc, s.LastUtc, level, null, outlet.Limits.TryGetValue(s.FactorCode, out var l) ? l : null, s.Score,
                $"{outlet.EnterpriseName} {outlet.OutletCode} {Name(s.FactorCode)}：{SuspicionDetectors.Label(s.Rule)}（评分 {s.Score}）", Named(s.Evidence), reopen: false);
            changes.Track(w);
        }
        // A suspicion no longer found closes, unless a case follows it up (the inspector decides then).
        foreach (var gone in existing.Where(w => w.Kind == WarningKind.Suspicion && w.IsOpen && w.CaseId is null && w.StartUtc >= hourFrom.AddHours(3) && !changes.Touched(w)))
            gone.Close("复核后不再符合疑点特征", now);
    }

    /// <summary>
    /// A cumulative mass this year against its total (an enterprise's verified or permitted total, a
    /// region's allowed total): raised at the rules' first percentage, its level rising with the next
    /// ones; closed once the share falls below the first.
    /// </summary>
    public static void AnnualTotal(WarningChanges changes, List<Warning> existing, string pollutant, DateTime start, double tonnes, double total, string message, WarningRules rules)
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

    public static string EnterpriseAnnualMessage(string enterprise, int year, string pollutant, double tonnes, decimal total, string source) =>
        $"{enterprise} {year}年{Pollutants.Label(pollutant)}累计排放 {tonnes:0.###} t，为{source}总量 {total:0.###} t 的 {tonnes / (double)total:0.#%}";

    public static string RegionAnnualMessage(string region, int year, string pollutant, double tonnes, decimal total) =>
        $"{region} {year}年{Pollutants.Label(pollutant)}在线监测累计 {tonnes:0.###} t，为控制总量 {total:0.###} t 的 {tonnes / (double)total:0.#%}";

    /// <summary>
    /// The warnings that open a linkage case: an exceedance whose peak reached the rules' level is handed
    /// over even when it has already ended (M3: every exceedance found is handled by law); a suspicion only
    /// while it stands and scores at least the rules' score (a dismissed one stays dismissed). One case a warning.
    /// </summary>
    public static IReadOnlyList<Warning> CasesToOpen(WarningChanges changes, WarningRules rules) =>
        changes.Raised.Where(w => w.CaseId is null && w.EnterpriseId is not null
            && (w.Kind == WarningKind.Exceedance && (int)w.PeakLevel >= rules.Exceedance.OpenCaseAtLevel.Value
                || w.Kind == WarningKind.Suspicion && w.IsOpen && w.Score >= rules.Suspicion.OpenCaseAtScore.Value)).ToList();

    /// <summary>The warnings announced to the county, the station and the enterprise: open, new or changed, orange or red.</summary>
    public static IReadOnlyList<Warning> ToAnnounce(WarningChanges changes) =>
        changes.Raised.Where(w => w.IsOpen && changes.IsNewOrUp(w) && w.PeakLevel >= WarningLevel.Orange).ToList();

    /// <summary>The announcement's subject: level and kind, e.g. 红色超标预警.</summary>
    public static string AnnouncementTitle(Warning w) => $"{Warning.LevelLabel(w.PeakLevel)}{Warning.KindLabel(w.Kind)}";
}

/// <summary>A networked device as the minute sweep sees it; <see cref="LastSeenUtc"/> null: never heard from.</summary>
public sealed record SweptDevice(int DeviceId, string Mn, int OutletId, int EnterpriseId, int RegionId, string Enterprise, DateOnly? NetworkedOn, DateTime? LastSeenUtc);

/// <summary>A device whose recent packets carried impossible DataTimes.</summary>
public sealed record SweptClockFault(DeviceClockFault Fault, string Mn, int OutletId, int EnterpriseId, int RegionId, string Enterprise);

/// <summary>An outlet's stored hours: the first and last, and the last valid one (null: none).</summary>
public sealed record SweptOutletHours(DateTime FirstUtc, DateTime LastUtc, DateTime? LastValidUtc);

/// <summary>An open comparison task past its due date.</summary>
public sealed record SweptComparison(long TaskId, string Label, DateOnly Due, int OutletId, int EnterpriseId, int RegionId, string Enterprise, string OutletCode);

/// <summary>What the minute sweep looks at, loaded by the warning service.</summary>
public sealed record SweepFacts(IReadOnlyList<SweptDevice> Devices, IReadOnlyList<SweptClockFault> ClockFaults,
    IReadOnlyDictionary<int, SweptOutletHours> OutletHours, IReadOnlyList<SweptComparison> OverdueComparisons);

/// <summary>The sweep's decisions: warnings raised (to be added), and the offline warnings of devices that fell silent (their alarm is sent).</summary>
public sealed record SweepOutcome(IReadOnlyList<Warning> Added, IReadOnlyList<Warning> FellSilent);

/// <summary>
/// The minute sweep's warnings: devices offline, clock faults, outlets without valid data, comparisons
/// overdue. Each is raised once per episode (kind, outlet, subject, start), updated while it lasts and
/// closed, with the reason, in the first sweep that no longer finds it.
/// </summary>
public static class SweepPolicy
{
    /// <param name="existing">The open warnings of the four kinds (updated and closed in place; raised ones are added).</param>
    public static SweepOutcome Sweep(SweepFacts facts, List<Warning> existing, WarningRules rules, DateTime now)
    {
        var added = new List<Warning>();
        var silent = new List<Warning>();
        var touched = new HashSet<Warning>();
        void Keep(Warning? w, Func<Warning> raise, WarningLevel level, DateTime last, string message)
        {
            if (w is null)
            {
                w = raise();
                added.Add(w);
                existing.Add(w);
            }
            else w.Update(level, last, null, 0, message, w.Evidence);
            touched.Add(w);
        }

        // Devices: networked, and not heard from within the offline time (never: since the day it was networked).
        var offlineAfter = TimeSpan.FromMinutes(rules.Device.OfflineMinutes.Value);
        foreach (var d in facts.Devices)
        {
            if (d.LastSeenUtc is { } l && now - l <= offlineAfter) continue;
            var since = d.LastSeenUtc ?? (d.NetworkedOn is { } n ? BeijingTime.DayStartUtc(n) : now);
            var level = now - since > TimeSpan.FromDays(1) ? WarningLevel.Orange : WarningLevel.Yellow;
            var message = $"{d.Enterprise} 设备 {d.Mn} 离线，{(d.LastSeenUtc is null ? "联网后从未上报" : "最后通信 " + BeijingTime.Format(since))}";
            var w = Find(existing, WarningKind.DeviceOffline, d.OutletId, d.Mn, since);
            Keep(w, () =>
            {
                var raised = Warning.Raise(WarningKind.DeviceOffline, level, d.RegionId, d.EnterpriseId, d.OutletId, d.Mn, "", since, now, null, null, 0, message,
                    $"离线判定：超过 {rules.Device.OfflineMinutes.Value:0} 分钟无通信", now);
                // The offline alarm: a device that was reporting and fell silent (one never heard from is a registry matter).
                if (d.LastSeenUtc is not null) silent.Add(raised);
                return raised;
            }, level, now, message);
        }

        // Devices whose data carry impossible times (a reset clock): their values are kept out of the readings while it lasts.
        foreach (var f in facts.ClockFaults.Where(f => f.Fault.LastAtUtc >= now - DeviceClockFault.RunGap))
        {
            var message = $"{f.Enterprise} 设备 {f.Mn} 时钟异常：{DataTimeWindow.Describe(f.Fault.Verdict)}（数据时间 {f.Fault.LastDataTime}），{f.Fault.Packets} 包未计入监测数据";
            Keep(Find(existing, WarningKind.ClockFault, f.OutletId, f.Mn, f.Fault.FirstAtUtc),
                () => Warning.Raise(WarningKind.ClockFault, WarningLevel.Yellow, f.RegionId, f.EnterpriseId, f.OutletId, f.Mn, "", f.Fault.FirstAtUtc, f.Fault.LastAtUtc, null, null, 0, message,
                    "数据时间超出合理范围的数据包已存档并应答，但不计入监测数据；平台已下发校时（1012）", now),
                WarningLevel.Yellow, f.Fault.LastAtUtc, message);
        }

        // Outlets of networked devices with no valid hour for the configured time. Only outlets with stored
        // hours are judged: the aggregation has not seen the others yet.
        var noData = TimeSpan.FromHours(rules.Device.NoDataHours.Value);
        foreach (var d in facts.Devices.DistinctBy(d => d.OutletId))
        {
            if (!facts.OutletHours.TryGetValue(d.OutletId, out var range)) continue;
            var since = range.LastValidUtc is { } v ? v.AddHours(1) : range.FirstUtc;
            if (range.LastUtc.AddHours(1) - since < noData) continue;
            var message = $"{d.Enterprise} 排放口自 {BeijingTime.Format(since)} 起无有效小时数据";
            Keep(Find(existing, WarningKind.NoData, d.OutletId, "", since),
                () => Warning.Raise(WarningKind.NoData, WarningLevel.Orange, d.RegionId, d.EnterpriseId, d.OutletId, "", "", since, now, null, null, 0, message,
                    $"判定：连续 {rules.Device.NoDataHours.Value:0} 小时及以上无有效数据", now),
                WarningLevel.Orange, now, message);
        }

        // Comparison tasks past their due date.
        var today = BeijingTime.Date(now);
        foreach (var t in facts.OverdueComparisons.Where(t => t.Due < today))
        {
            var subject = t.TaskId.ToString(CultureInfo.InvariantCulture);
            var since = BeijingTime.DayStartUtc(t.Due.AddDays(1));
            var message = $"{t.Enterprise} {t.OutletCode} {t.Label} 已逾期 {today.DayNumber - t.Due.DayNumber} 天（应于 {t.Due:yyyy-MM-dd} 前完成）";
            Keep(Find(existing, WarningKind.ComparisonOverdue, t.OutletId, subject, since),
                () => Warning.Raise(WarningKind.ComparisonOverdue, WarningLevel.Yellow, t.RegionId, t.EnterpriseId, t.OutletId, subject, "", since, now, null, null, 0, message, "比对监测任务逾期未完成", now),
                WarningLevel.Yellow, now, message);
        }

        foreach (var w in existing.Where(w => w.IsOpen && !touched.Contains(w)))
            w.Close(ClosedBecause(w.Kind), now);
        return new SweepOutcome(added, silent);
    }

    /// <summary>Why a sweep warning closes when its condition is gone.</summary>
    public static string ClosedBecause(WarningKind kind) => kind switch
    {
        WarningKind.DeviceOffline => "设备恢复通信",
        WarningKind.NoData => "恢复有效数据",
        WarningKind.ClockFault => "数据时间恢复正常",
        _ => "任务已完成",
    };

    private static Warning? Find(List<Warning> existing, WarningKind kind, int? outletId, string subject, DateTime start) =>
        existing.FirstOrDefault(w => w.Kind == kind && w.OutletId == outletId && w.Subject == subject && w.StartUtc == start);
}
