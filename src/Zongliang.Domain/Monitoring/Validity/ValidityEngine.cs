using Zongliang.Domain.Common;

namespace Zongliang.Domain.Monitoring.Validity;

/// <summary>
/// Judges minute values, hours and days by a <see cref="ValidityProfile"/>: the same code runs in the
/// platform's aggregation, in `zl validity evaluate` and in the benchmark. Pure: no clock, no I/O.
/// Hours are UTC hours; days are Beijing days (00:00 UTC+8).
/// </summary>
public static class ValidityEngine
{
    private static readonly int[] AllowedIntervals = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60];

    /// <summary>
    /// How much data around an evaluated range the suspect checks need: a run of repeated values is
    /// judged by its whole length, so with this much context on each side an hour is judged the same
    /// alone as inside a longer range.
    /// </summary>
    public static TimeSpan ContextNeeded(ValidityProfile profile) => TimeSpan.FromMinutes(Math.Ceiling(profile.Suspect.RepeatMinutes.Value) + 60);

    public static long BeijingDayNumber(DateTime utc) => (utc.Ticks + BeijingTime.Offset.Ticks) / TimeSpan.TicksPerDay;


    /// <summary>
    /// Evaluates the hours [<paramref name="fromUtc"/>, <paramref name="toUtc"/>) of one factor.
    /// <paramref name="flow"/> (the outlet's flow series) serves the zero-flow check and, for a
    /// profile that weights by flow, the hour mean. <paramref name="decisions"/> are applied in order.
    /// </summary>
    public static HourValue[] EvaluateHours(ValidityProfile profile, FactorSeries series, FactorSeries? flow, DateTime fromUtc, DateTime toUtc, IReadOnlyList<AuditOverride>? decisions = null)
    {
        var from = TruncateHour(fromUtc);
        var hourCount = (int)Math.Max(0, (TruncateHour(toUtc) - from).Ticks / TimeSpan.TicksPerHour);
        var hours = new HourValue[hourCount];
        if (hourCount == 0)
            return hours;
        var points = series.Points;
        var firstDay = BeijingDayNumber(from);
        var intervals = DayIntervals(points, firstDay, (int)(BeijingDayNumber(from.AddHours(hourCount - 1)) - firstDay + 1));
        var marks = SuspectMarks(profile, series, flow, firstDay, intervals);

        var sum = new double[hourCount];
        var manualSum = new double[hourCount];
        var weighted = new double[hourCount];
        var weights = new double[hourCount];
        var stopped = new int[hourCount];
        var weightByFlow = profile.Day.FlowWeighted && flow is not null && flow.FactorCode != series.FactorCode;
        var flowPoints = flow?.Points ?? [];
        var j = 0;
        var lastTicks = long.MinValue;
        for (var i = 0; i < points.Length; i++)
        {
            var p = points[i];
            var ticks = p.TimeUtc.Ticks;
            if (ticks == lastTicks)
                continue; // a second value for the same minute: the first one counts
            lastTicks = ticks;
            var offset = ticks - from.Ticks;
            if (offset < 0)
                continue;
            var h = (int)(offset / TimeSpan.TicksPerHour);
            if (h >= hourCount)
                break;
            ref var hour = ref hours[h];
            hour.Received++;
            var cls = double.IsNaN(p.Value) ? MinuteClass.Invalid : profile.Classify(p.Flag);
            switch (cls)
            {
                case MinuteClass.Stopped:
                    stopped[h]++;
                    continue;
                case MinuteClass.Manual:
                    hour.ManualCount++;
                    manualSum[h] += p.Value;
                    hour.Suspect |= marks[i];
                    continue;
                case MinuteClass.Invalid:
                    continue;
            }
            hour.ValidCount++;
            hour.Suspect |= marks[i];
            sum[h] += p.Value;
            hour.Min = hour.Min is { } mn && mn <= p.Value ? mn : p.Value;
            hour.Max = hour.Max is { } mx && mx >= p.Value ? mx : p.Value;
            if (weightByFlow)
            {
                while (j < flowPoints.Length && flowPoints[j].TimeUtc.Ticks < ticks)
                    j++;
                if (j < flowPoints.Length && flowPoints[j].TimeUtc.Ticks == ticks && flowPoints[j].Value >= 0
                    && profile.Classify(flowPoints[j].Flag) == MinuteClass.Valid)
                {
                    weighted[h] += p.Value * flowPoints[j].Value;
                    weights[h] += flowPoints[j].Value;
                }
            }
        }

        var ratio = profile.HourMinValidRatio.Value;
        for (var h = 0; h < hourCount; h++)
        {
            ref var hour = ref hours[h];
            hour.HourUtc = from.AddHours(h);
            var interval = intervals[(int)(BeijingDayNumber(hour.HourUtc) - firstDay)];
            hour.StoppedCount = stopped[h];
            var producing = hour.Received - stopped[h];
            hour.Expected = Math.Max(60 / interval - stopped[h], producing);
            if (hour.Received == 0)
            {
                hour.Status = PeriodStatus.Invalid;
                hour.Suspect |= SuspectReason.Gap;
                continue;
            }
            if (hour.Expected <= 0)
            {
                hour.Status = PeriodStatus.Stopped;
                continue;
            }
            if (producing < hour.Expected)
                hour.Suspect |= SuspectReason.Gap;
            var required = (int)Math.Ceiling(ratio * hour.Expected - 1e-9);
            hour.Status = hour.ValidCount > 0 && hour.ValidCount >= required ? PeriodStatus.Valid : PeriodStatus.Invalid;
            if (hour.ValidCount > 0)
                hour.Mean = weights[h] > 0 ? weighted[h] / weights[h] : sum[h] / hour.ValidCount;
        }

        if (decisions is { Count: > 0 })
            ApplyDecisions(hours, series.FactorCode, decisions, from, sum, manualSum);
        return hours;
    }

    private static void ApplyDecisions(HourValue[] hours, string factorCode, IReadOnlyList<AuditOverride> decisions, DateTime from, double[] sum, double[] manualSum)
    {
        foreach (var d in decisions)
        {
            if (d.FactorCode.Length > 0 && d.FactorCode != factorCode)
                continue;
            var first = (int)Math.Floor((d.StartUtc - from).TotalHours);
            var count = d.Span == AuditSpan.Day ? 24 : 1;
            for (var h = Math.Max(0, first); h < Math.Min(hours.Length, first + count); h++)
            {
                ref var hour = ref hours[h];
                hour.Audited = true;
                hour.Status = d.Valid ? PeriodStatus.Valid : PeriodStatus.Invalid;
                // An approved hour counts its manually set (S) values too; a refused one shows the measured mean.
                var manual = d.Valid ? hour.ManualCount : 0;
                if (hour.ManualCount > 0 && hour.ValidCount + manual > 0)
                    hour.Mean = (sum[h] + (d.Valid ? manualSum[h] : 0)) / (hour.ValidCount + manual);
            }
        }
    }

    /// <summary>The reporting interval of each Beijing day in minutes: the commonest spacing of its points, snapped to a divisor of 60; 1 for a day with fewer than two points.</summary>
    private static int[] DayIntervals(MinuteValue[] points, long firstDay, int dayCount)
    {
        var histogram = new int[dayCount * 61];
        for (var i = 1; i < points.Length; i++)
        {
            var day = BeijingDayNumber(points[i].TimeUtc) - firstDay;
            if (day < 0 || day >= dayCount || BeijingDayNumber(points[i - 1].TimeUtc) - firstDay != day)
                continue;
            var minutes = (int)Math.Round((points[i].TimeUtc - points[i - 1].TimeUtc).TotalMinutes);
            if (minutes is >= 1 and <= 60)
                histogram[day * 61 + minutes]++;
        }
        var intervals = new int[dayCount];
        for (var d = 0; d < dayCount; d++)
        {
            var best = 0;
            for (var m = 1; m <= 60; m++)
                if (histogram[d * 61 + m] > histogram[d * 61 + best])
                    best = m;
            intervals[d] = best == 0 ? 1 : AllowedIntervals.MinBy(a => Math.Abs(a - best));
        }
        return intervals;
    }

    /// <summary>Marks each valid or manual minute value with the suspect checks of the profile.</summary>
    private static SuspectReason[] SuspectMarks(ValidityProfile profile, FactorSeries series, FactorSeries? flow, long firstDay, int[] intervals)
    {
        var points = series.Points;
        var marks = new SuspectReason[points.Length];
        var range = profile.RangeOf(series.FactorCode);
        var jumpFactor = profile.Suspect.JumpFactor.Value;
        var jumpFloor = profile.Suspect.JumpFloor.Value;
        var repeatTicks = (long)(profile.Suspect.RepeatMinutes.Value * TimeSpan.TicksPerMinute);
        var checkFlow = flow is not null && flow.FactorCode != series.FactorCode;
        var flowPoints = flow?.Points ?? [];
        var j = 0;
        var previous = double.NaN;
        var runStart = -1;
        for (var i = 0; i <= points.Length; i++)
        {
            var usable = i < points.Length && !double.IsNaN(points[i].Value)
                && profile.Classify(points[i].Flag) is MinuteClass.Valid or MinuteClass.Manual;
            // A run of equal values ends at anything else: another value, a stop, an invalid flag.
            if (runStart >= 0 && (!usable || points[i].Value != points[runStart].Value))
            {
                MarkRun(points, marks, runStart, i, repeatTicks, firstDay, intervals);
                runStart = -1;
            }
            if (!usable)
            {
                if (i < points.Length && profile.Classify(points[i].Flag) == MinuteClass.Stopped)
                    previous = double.NaN;
                continue;
            }
            var v = points[i].Value;
            if (runStart < 0)
                runStart = i;
            if (v < 0)
                marks[i] |= SuspectReason.Negative;
            if (range is { } r && v > r)
                marks[i] |= SuspectReason.OverRange;
            if (!double.IsNaN(previous) && previous > 0 && v > 0 && Math.Max(previous, v) >= jumpFloor
                && Math.Max(previous, v) / Math.Min(previous, v) > jumpFactor)
                marks[i] |= SuspectReason.Jump;
            if (checkFlow)
            {
                var ticks = points[i].TimeUtc.Ticks;
                while (j < flowPoints.Length && flowPoints[j].TimeUtc.Ticks < ticks)
                    j++;
                if (j < flowPoints.Length && flowPoints[j].TimeUtc.Ticks == ticks && flowPoints[j].Value == 0
                    && profile.Classify(flowPoints[j].Flag) == MinuteClass.Valid && !double.IsNaN(previous) && v != previous)
                    marks[i] |= SuspectReason.ZeroFlow;
            }
            previous = v;
        }
        return marks;
    }

    private static void MarkRun(MinuteValue[] points, SuspectReason[] marks, int start, int end, long repeatTicks, long firstDay, int[] intervals)
    {
        var last = points[end - 1].TimeUtc;
        var day = BeijingDayNumber(last) - firstDay;
        var interval = day >= 0 && day < intervals.Length ? intervals[day] : 1;
        if ((last - points[start].TimeUtc).Ticks + interval * TimeSpan.TicksPerMinute < repeatTicks)
            return;
        for (var k = start; k < end; k++)
            marks[k] |= SuspectReason.Repeated;
    }

    /// <summary>
    /// Rolls hours up to Beijing days: gas needs the profile's valid hours (scaled down for hours
    /// the source stopped), water a share of the expected points, weighted by the hour volumes.
    /// </summary>
    public static DayValue[] EvaluateDays(ValidityProfile profile, HourValue[] hours, HourValue[]? flowHours, string factorCode, IReadOnlyList<AuditOverride>? decisions = null, bool massFactor = false)
    {
        if (hours.Length == 0)
            return [];
        var firstDay = BeijingDayNumber(hours[0].HourUtc);
        var dayCount = (int)(BeijingDayNumber(hours[^1].HourUtc) - firstDay + 1);
        var days = new DayValue[dayCount];
        var sums = new double[dayCount];
        var weighted = new double[dayCount];
        var weights = new double[dayCount];
        var weightByFlow = profile.Day.FlowWeighted && flowHours is not null && !ReferenceEquals(flowHours, hours);
        for (var h = 0; h < hours.Length; h++)
        {
            ref readonly var hour = ref hours[h];
            var d = (int)(BeijingDayNumber(hour.HourUtc) - firstDay);
            ref var day = ref days[d];
            day.Hours++;
            day.Suspect |= hour.Suspect;
            day.ExpectedPoints += hour.Status == PeriodStatus.Stopped ? 0 : hour.Expected;
            day.ValidPoints += hour.ValidCount;
            if (hour.Mass is MassSource.Measured or MassSource.Substituted)
                day.MassKg += hour.MassKg ?? 0;
            if (hour.Mass == MassSource.Substituted)
                day.SubstitutedHours++;
            if (massFactor && hour.Mass == MassSource.None)
                day.UnknownMassHours++;
            if (hour.Status == PeriodStatus.Stopped)
            {
                day.StoppedHours++;
                continue;
            }
            if (hour.Status != PeriodStatus.Valid || hour.Mean is not { } mean)
                continue;
            day.ValidHours++;
            sums[d] += mean;
            day.Min = hour.Min is { } mn && (day.Min is not { } dm || mn < dm) ? mn : day.Min;
            day.Max = hour.Max is { } mx && (day.Max is not { } dx || mx > dx) ? mx : day.Max;
            if (hour.VolumeM3 is { } v)
                day.VolumeM3 = (day.VolumeM3 ?? 0) + v;
            if (weightByFlow && flowHours![h] is { Status: PeriodStatus.Valid, VolumeM3: { } volume and > 0 })
            {
                weighted[d] += mean * volume;
                weights[d] += volume;
            }
        }

        for (var d = 0; d < dayCount; d++)
        {
            ref var day = ref days[d];
            day.Day = DateOnly.FromDayNumber((int)(firstDay + d));
            var producing = day.Hours - day.StoppedHours;
            if (producing == 0)
            {
                day.Status = PeriodStatus.Stopped;
                continue;
            }
            bool valid;
            if (profile.Day.CountsHours)
            {
                var required = (int)Math.Ceiling(profile.Day.MinValidHours.Value * producing / 24.0 - 1e-9);
                valid = day.ValidHours > 0 && day.ValidHours >= required;
            }
            else
            {
                var required = (int)Math.Ceiling(profile.Day.MinValidPointsRatio.Value * day.ExpectedPoints - 1e-9);
                valid = day.ValidHours > 0 && day.ValidPoints >= required;
            }
            day.Status = valid ? PeriodStatus.Valid : PeriodStatus.Invalid;
            if (day.ValidHours > 0)
                day.Mean = weights[d] > 0 ? weighted[d] / weights[d] : sums[d] / day.ValidHours;
        }

        if (decisions is not null)
            foreach (var decision in decisions)
            {
                if (decision.Span != AuditSpan.Day || (decision.FactorCode.Length > 0 && decision.FactorCode != factorCode))
                    continue;
                var d = BeijingDayNumber(decision.StartUtc) - firstDay;
                if (d < 0 || d >= dayCount)
                    continue;
                days[d].Audited = true;
                days[d].Status = decision.Valid ? PeriodStatus.Valid : PeriodStatus.Invalid;
            }
        return days;
    }

    /// <summary>Rolls days up to a month, quarter or year: valid days' means (flow-weighted when the profile says so and the volumes are known), masses summed.</summary>
    public static PeriodValue Roll(ValidityProfile profile, ReadOnlySpan<DayValue> days, ReadOnlySpan<DayValue> flowDays = default)
    {
        if (days.IsEmpty)
            return default;
        double sum = 0, weighted = 0, weights = 0, mass = 0;
        double? min = null, max = null;
        int valid = 0, substituted = 0, unknown = 0;
        var weightByFlow = profile.Day.FlowWeighted && flowDays.Length == days.Length;
        for (var i = 0; i < days.Length; i++)
        {
            ref readonly var day = ref days[i];
            mass += day.MassKg;
            substituted += day.SubstitutedHours;
            unknown += day.UnknownMassHours;
            if (day.Status != PeriodStatus.Valid || day.Mean is not { } mean)
                continue;
            valid++;
            sum += mean;
            if (day.Min is { } mn && (min is null || mn < min)) min = mn;
            if (day.Max is { } mx && (max is null || mx > max)) max = mx;
            if (weightByFlow && flowDays[i] is { Status: PeriodStatus.Valid, VolumeM3: { } volume and > 0 })
            {
                weighted += mean * volume;
                weights += volume;
            }
        }
        double? periodMean = valid == 0 ? null : weights > 0 ? weighted / weights : sum / valid;
        return new PeriodValue(days[0].Day, days[^1].Day, periodMean, min, max, days.Length, valid, mass, substituted, unknown);
    }

    public static DateTime TruncateHour(DateTime utc) =>
        new(utc.Ticks - utc.Ticks % TimeSpan.TicksPerHour, DateTimeKind.Utc);
}
