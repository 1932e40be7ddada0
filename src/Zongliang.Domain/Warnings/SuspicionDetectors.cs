using System.Globalization;
using Zongliang.Domain.Common;

namespace Zongliang.Domain.Warnings;

/// <summary>An hour of one factor as the detectors see it.</summary>
/// <param name="Value">The hour's value (O2-corrected for gas where there is one); null without data.</param>
/// <param name="Valid">The hour is valid.</param>
/// <param name="Stopped">The source did not produce (停运).</param>
/// <param name="Manual">Minute values entered by hand (flag S) in the hour.</param>
/// <param name="Maintenance">The hour falls in an accepted maintenance notice.</param>
public readonly record struct HourPoint(DateTime HourUtc, double? Value, bool Valid, bool Stopped, int Manual, bool Maintenance);

/// <summary>A pattern found, for the warning list: which detector, which factor, when, how sure (0–100), and the evidence in words.</summary>
public sealed record Suspicion(string Rule, string FactorCode, DateTime StartUtc, DateTime LastUtc, int Score, string Evidence);

/// <summary>
/// Detectors of suspected falsification (企业弄虚作假嫌疑). Each is a small rule over an outlet's
/// hours (or minutes) that finds a pattern honest data rarely show; none proves anything, so each
/// finding is listed for inspection with its evidence and a score, and the inspection section
/// decides. Parameters come from rules/warning-rules.json.
/// </summary>
public static class SuspicionDetectors
{
    public const string FlatBelowLimit = "flat-below-limit";
    public const string SharpDrop = "sharp-drop";
    public const string ManualDuringExceedance = "manual-during-exceedance";
    public const string GapDuringExceedance = "gap-during-exceedance";
    public const string ZeroFlow = "zero-flow";
    public const string SmoothMinutes = "smooth-minutes";

    public static string Label(string rule) => rule switch
    {
        FlatBelowLimit => "数值长时间贴近限值且几乎不变",
        SharpDrop => "浓度骤降而流量不变",
        ManualDuringExceedance => "超标时段出现人工输入数据",
        GapDuringExceedance => "其他因子或邻近污染源超标时本因子缺数或维护",
        ZeroFlow => "生产中流量为零",
        SmoothMinutes => "分钟数据过于平滑",
        _ => rule,
    };

    /// <summary>
    /// Values held flat just below the limit: at least <c>minHours</c> consecutive valid hours, each
    /// between <c>bandPercent</c> % of the limit and the limit, whose range is within
    /// <c>maxRelativeSpread</c> of their mean. Score 60, +5 for each hour beyond the minimum, at most 95.
    /// </summary>
    public static IEnumerable<Suspicion> FindFlatBelowLimit(string factor, IReadOnlyList<HourPoint> hours, double limit, FlatBelowLimitRules rules)
    {
        if (limit <= 0) yield break;
        var low = limit * rules.BandPercent.Value / 100;
        var run = new List<HourPoint>();
        foreach (var h in hours.Append(new HourPoint(DateTime.MaxValue, null, false, false, 0, false)))
        {
            var inBand = h.Valid && h.Value is { } v && v >= low && v <= limit;
            if (inBand && (run.Count == 0 || h.HourUtc - run[^1].HourUtc == TimeSpan.FromHours(1)))
            {
                run.Add(h);
                continue;
            }
            if (run.Count >= rules.MinHours.Value)
            {
                var values = run.Select(r => r.Value!.Value).ToList();
                var mean = values.Average();
                var spread = (values.Max() - values.Min()) / mean;
                if (spread <= rules.MaxRelativeSpread.Value)
                    yield return new Suspicion(FlatBelowLimit, factor, run[0].HourUtc, run[^1].HourUtc,
                        Math.Min(95, 60 + 5 * (run.Count - (int)rules.MinHours.Value)),
                        $"{Span(run[0].HourUtc, run[^1].HourUtc)} 连续{run.Count}小时，小时值 {N(values.Min())}–{N(values.Max())}（限值 {N(limit)}，为限值的 {N(mean / limit * 100)}%），极差仅为均值的 {N(spread * 100)}%");
            }
            run.Clear();
            if (inBand) run.Add(h);
        }
    }

    /// <summary>
    /// Concentration dropping sharply while the flow stays the same: an hour whose value is below
    /// <c>dropRatio</c> × the mean of the three hours before, those three near or over the limit
    /// (≥ 80 %), while the flow of the hour is within <c>flowTolerance</c> of the flow before. Score 70.
    /// </summary>
    public static IEnumerable<Suspicion> FindSharpDrop(string factor, IReadOnlyList<HourPoint> hours, IReadOnlyList<HourPoint> flow, double limit, SharpDropRules rules)
    {
        if (limit <= 0 || flow.Count == 0) yield break;
        var flowAt = flow.Where(f => f.Valid && f.Value is > 0).ToDictionary(f => f.HourUtc, f => f.Value!.Value);
        for (var i = 3; i < hours.Count; i++)
        {
            var h = hours[i];
            if (!h.Valid || h.Value is not { } now) continue;
            var before = hours.Skip(i - 3).Take(3).ToList();
            if (before.Any(b => !b.Valid || b.Value is null) || before[0].HourUtc != h.HourUtc.AddHours(-3)) continue;
            var meanBefore = before.Average(b => b.Value!.Value);
            if (meanBefore < limit * 0.8 || now >= meanBefore * rules.DropRatio.Value) continue;
            if (!flowAt.TryGetValue(h.HourUtc, out var flowNow)) continue;
            var flowsBefore = before.Select(b => flowAt.TryGetValue(b.HourUtc, out var f) ? f : (double?)null).ToList();
            if (flowsBefore.Any(f => f is null)) continue;
            var flowBefore = flowsBefore.Average()!.Value;
            if (Math.Abs(flowNow - flowBefore) > flowBefore * rules.FlowTolerance.Value) continue;
            yield return new Suspicion(SharpDrop, factor, h.HourUtc, h.HourUtc, 70,
                $"{Hour(h.HourUtc)} 浓度由前3小时均值 {N(meanBefore)} 降至 {N(now)}（限值 {N(limit)}），同时流量 {N(flowBefore)} → {N(flowNow)}，变化 {N((flowNow - flowBefore) / flowBefore * 100)}%");
        }
    }

    /// <summary>
    /// Manual values (flag S) during an exceedance: an hour with values entered by hand while this
    /// factor, or another factor of the outlet, is over its limit in the same hour or the hour before. Score 80.
    /// </summary>
    public static IEnumerable<Suspicion> FindManualDuringExceedance(IReadOnlyDictionary<string, HourPoint[]> outlet, IReadOnlyDictionary<string, double> limits)
    {
        var overHours = OverHours(outlet, limits);
        foreach (var (factor, hours) in outlet)
            foreach (var h in hours.Where(h => h.Manual > 0))
            {
                var over = overHours.Where(o => o.Hour == h.HourUtc || o.Hour == h.HourUtc.AddHours(-1)).Select(o => o.Factor).Distinct().ToList();
                if (over.Count == 0) continue;
                yield return new Suspicion(ManualDuringExceedance, factor, h.HourUtc, h.HourUtc, 80,
                    $"{Hour(h.HourUtc)} 有 {h.Manual} 个人工输入（S）值，同时段 {string.Join("、", over)} 超标");
            }
    }

    /// <summary>
    /// Gaps or maintenance at one factor while another factor of the outlet, or a neighbouring source
    /// (another outlet of the enterprise, or one within a few kilometres), is over its limit: an hour
    /// without valid data (not a stop), or under a maintenance notice, in an hour something else
    /// exceeds. Score 60, 75 for a run of three hours or more.
    /// </summary>
    public static IEnumerable<Suspicion> FindGapDuringExceedance(IReadOnlyDictionary<string, HourPoint[]> outlet, IReadOnlyDictionary<string, double> limits,
        IReadOnlyCollection<(string Source, DateTime HourUtc)>? neighbours = null)
    {
        var overHours = OverHours(outlet, limits);
        neighbours ??= [];
        foreach (var (factor, hours) in outlet)
        {
            if (!limits.ContainsKey(factor)) continue;
            var gaps = hours.Where(h => !h.Stopped && (!h.Valid || h.Maintenance)
                    && (overHours.Any(o => o.Factor != factor && o.Hour == h.HourUtc) || neighbours.Any(n => n.HourUtc == h.HourUtc))).ToList();
            foreach (var run in Runs(gaps))
            {
                var others = overHours.Where(o => o.Factor != factor && o.Hour >= run[0].HourUtc && o.Hour <= run[^1].HourUtc).Select(o => o.Factor)
                    .Concat(neighbours.Where(n => n.HourUtc >= run[0].HourUtc && n.HourUtc <= run[^1].HourUtc).Select(n => n.Source)).Distinct();
                yield return new Suspicion(GapDuringExceedance, factor, run[0].HourUtc, run[^1].HourUtc, run.Count >= 3 ? 75 : 60,
                    $"{Span(run[0].HourUtc, run[^1].HourUtc)} 本因子{(run.Any(r => r.Maintenance) ? "报维护" : "无有效数据")}共{run.Count}小时，同时段 {string.Join("、", others)} 超标");
            }
        }
    }

    /// <summary>Great-circle distance in km between two points given in degrees (for neighbouring sources).</summary>
    public static double DistanceKm(double lat1, double lon1, double lat2, double lon2)
    {
        const double R = 6371.0;
        var dLat = (lat2 - lat1) * Math.PI / 180;
        var dLon = (lon2 - lon1) * Math.PI / 180;
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(lat1 * Math.PI / 180) * Math.Cos(lat2 * Math.PI / 180) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * R * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>
    /// Zero flow while the source produces: a valid, producing hour of a concentration with a value
    /// above zero, whose flow hour is zero. Score 70, 85 for a run of three hours or more.
    /// </summary>
    public static IEnumerable<Suspicion> FindZeroFlow(string flowFactor, IReadOnlyDictionary<string, HourPoint[]> outlet)
    {
        if (!outlet.TryGetValue(flowFactor, out var flow)) yield break;
        var producing = outlet.Where(kv => kv.Key != flowFactor).SelectMany(kv => kv.Value)
            .Where(h => h.Valid && !h.Stopped && h.Value is > 0).Select(h => h.HourUtc).ToHashSet();
        var zero = flow.Where(f => !f.Stopped && f.Value is { } v && v <= 0 && producing.Contains(f.HourUtc)).ToList();
        foreach (var run in Runs(zero))
            yield return new Suspicion(ZeroFlow, flowFactor, run[0].HourUtc, run[^1].HourUtc, run.Count >= 3 ? 85 : 70,
                $"{Span(run[0].HourUtc, run[^1].HourUtc)} 流量为零共{run.Count}小时，而污染物浓度正常上报（生产中）");
    }

    /// <summary>
    /// A minute series implausibly smooth: within a window, at least <c>minPoints</c> valid minute
    /// values that are not all equal (a stuck value is another rule) but whose coefficient of
    /// variation is under <c>maxCoefficientOfVariation</c>; real analysers show noise. Score 65.
    /// </summary>
    public static Suspicion? FindSmoothMinutes(string factor, IReadOnlyList<(DateTime TimeUtc, double Value)> minutes, SmoothMinutesRules rules)
    {
        if (minutes.Count < rules.MinPoints.Value) return null;
        var mean = minutes.Average(m => m.Value);
        if (mean <= 0) return null;
        var sd = Math.Sqrt(minutes.Sum(m => (m.Value - mean) * (m.Value - mean)) / (minutes.Count - 1));
        if (sd == 0) return null;
        var cv = sd / mean;
        if (cv >= rules.MaxCoefficientOfVariation.Value) return null;
        return new Suspicion(SmoothMinutes, factor, minutes[0].TimeUtc, minutes[^1].TimeUtc, 65,
            $"{Span(minutes[0].TimeUtc, minutes[^1].TimeUtc)} 共{minutes.Count}个分钟值，均值 {N(mean)}，变异系数仅 {cv.ToString("0.####%", CultureInfo.InvariantCulture)}");
    }

    private static List<(string Factor, DateTime Hour)> OverHours(IReadOnlyDictionary<string, HourPoint[]> outlet, IReadOnlyDictionary<string, double> limits) =>
        outlet.Where(kv => limits.TryGetValue(kv.Key, out var l) && l > 0)
            .SelectMany(kv => kv.Value.Where(h => h.Valid && h.Value > limits[kv.Key]).Select(h => (kv.Key, h.HourUtc))).ToList();

    private static IEnumerable<List<HourPoint>> Runs(IEnumerable<HourPoint> hours)
    {
        var run = new List<HourPoint>();
        foreach (var h in hours.OrderBy(h => h.HourUtc))
        {
            if (run.Count > 0 && h.HourUtc - run[^1].HourUtc != TimeSpan.FromHours(1))
            {
                yield return run;
                run = [];
            }
            run.Add(h);
        }
        if (run.Count > 0) yield return run;
    }

    private static string N(double v) => v.ToString(Math.Abs(v) >= 100 ? "0.#" : "0.###", CultureInfo.InvariantCulture);
    private static string Hour(DateTime utc) => BeijingTime.FromUtc(utc).ToString("yyyy-MM-dd HH:00", CultureInfo.InvariantCulture);
    private static string Span(DateTime a, DateTime b) => a == b ? Hour(a) : $"{Hour(a)}–{BeijingTime.FromUtc(b):MM-dd HH:mm}";

    public static WarningLevel LevelOf(int score) => score >= 80 ? WarningLevel.Red : score >= 65 ? WarningLevel.Orange : WarningLevel.Yellow;
}
