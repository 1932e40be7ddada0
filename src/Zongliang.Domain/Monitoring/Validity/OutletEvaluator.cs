namespace Zongliang.Domain.Monitoring.Validity;

/// <summary>What an outlet's evaluation needs besides its minute values.</summary>
/// <param name="MassFactors">Pollutants whose discharged mass is accounted (not flow, O2, temperature …).</param>
/// <param name="ReferenceOxygen">The outlet's reference O2 (%) for the corrected (折算) concentration; null for none.</param>
/// <param name="PriorMeasuredMasses">Per factor, the measured hour masses before the range, oldest first: the substitution's look-back.</param>
/// <param name="PriorGapHours">Per factor, how many hours right before the range had no mass: a gap running into the range is judged by its whole length.</param>
public sealed record OutletContext(
    IReadOnlySet<string> MassFactors,
    double? ReferenceOxygen = null,
    IReadOnlyList<AuditOverride>? Decisions = null,
    IReadOnlyDictionary<string, double[]>? PriorMeasuredMasses = null,
    IReadOnlyDictionary<string, int>? PriorGapHours = null,
    IReadOnlyList<SuspectSpan>? SuspectSpans = null,
    IReadOnlyList<NoticeSpan>? Notices = null);

/// <summary>The hours and days of every factor of one outlet over a range.</summary>
public sealed record OutletEvaluation(IReadOnlyDictionary<string, HourValue[]> Hours, IReadOnlyDictionary<string, DayValue[]> Days);

/// <summary>
/// Evaluates an outlet: each factor's hours by the profile, the flow volume, the O2-corrected
/// concentration, the mass of each pollutant (HJ 212-2017 Appendix D) with substitution of invalid
/// and missing hours, then the days.
/// </summary>
public static class OutletEvaluator
{
    public static OutletEvaluation Evaluate(ValidityProfile profile, IReadOnlyList<FactorSeries> series, OutletContext context, DateTime fromUtc, DateTime toUtc)
    {
        var flowSeries = series.FirstOrDefault(s => s.FactorCode == profile.Mass.FlowFactor);
        var hours = new Dictionary<string, HourValue[]>(series.Count);
        foreach (var s in series)
        {
            var factorHours = ValidityEngine.EvaluateHours(profile, s, flowSeries, fromUtc, toUtc, context.Decisions);
            foreach (var span in context.SuspectSpans ?? [])
                if (span.FactorCode == s.FactorCode)
                    for (var h = 0; h < factorHours.Length; h++)
                        if (factorHours[h].HourUtc < span.ToUtc && factorHours[h].HourUtc.AddHours(1) > span.FromUtc)
                            factorHours[h].Suspect |= span.Reason;
            ApplyNotices(factorHours, context.Notices);
            hours[s.FactorCode] = factorHours;
        }
        return Account(profile, hours, context);
    }

    /// <summary>
    /// Marks the hours an accepted notice covers; under a planned stop an hour without valid data
    /// and without an auditor's decision is not producing. Hours with valid data keep their verdict:
    /// the data show the source ran.
    /// </summary>
    private static void ApplyNotices(HourValue[] hours, IReadOnlyList<NoticeSpan>? notices)
    {
        foreach (var notice in notices ?? [])
            for (var h = 0; h < hours.Length; h++)
            {
                ref var hour = ref hours[h];
                if (hour.HourUtc >= notice.ToUtc || hour.HourUtc.AddHours(1) <= notice.FromUtc)
                    continue;
                hour.Notice = notice.Kind;
                if (notice.Kind == NoticeKind.PlannedStop && hour.ValidCount == 0 && !hour.Audited)
                {
                    hour.Status = PeriodStatus.Stopped;
                    hour.Suspect &= ~SuspectReason.Gap;
                }
            }
    }

    /// <summary>
    /// The accounting step alone, over hours already evaluated (all factors over the same range):
    /// volume, corrected concentration, mass, substitution and days. The aggregation job evaluates
    /// the hours of the days that changed, then runs this over a window of stored hours, so late
    /// data or an audit decision re-substitutes the gaps around them.
    /// </summary>
    public static OutletEvaluation Account(ValidityProfile profile, Dictionary<string, HourValue[]> hours, OutletContext context)
    {
        var flowHours = hours.GetValueOrDefault(profile.Mass.FlowFactor);
        if (flowHours is not null)
            for (var h = 0; h < flowHours.Length; h++)
                flowHours[h].VolumeM3 = flowHours[h] is { Status: PeriodStatus.Valid, Mean: { } q } ? q * profile.Mass.FlowToCubicMetresPerHour.Value : null;

        hours.TryGetValue(profile.Mass.OxygenFactor, out var oxygenHours);
        foreach (var (code, factorHours) in hours)
        {
            if (!context.MassFactors.Contains(code))
                continue;
            CorrectForOxygen(factorHours, oxygenHours, context.ReferenceOxygen);
            if (flowHours is null)
            {
                // No flow meter: concentrations only, no mass.
                for (var h = 0; h < factorHours.Length; h++)
                    (factorHours[h].MassKg, factorHours[h].Mass) = (null, MassSource.None);
                continue;
            }
            ComputeMass(profile, factorHours, flowHours);
            Substitute(profile, factorHours, context.PriorMeasuredMasses?.GetValueOrDefault(code), context.PriorGapHours?.GetValueOrDefault(code) ?? 0);
        }

        var days = new Dictionary<string, DayValue[]>(hours.Count);
        foreach (var (code, factorHours) in hours)
            days[code] = ValidityEngine.EvaluateDays(profile, factorHours, flowHours, code, context.Decisions, context.MassFactors.Contains(code) && flowHours is not null);
        return new OutletEvaluation(hours, days);
    }

    /// <summary>C折 = C × (21 − O2ref) / (21 − O2): HJ 212-2017 Appendix D formula (28), with the hour's measured O2.</summary>
    public static double? Corrected(double concentration, double oxygen, double referenceOxygen) =>
        oxygen is >= 0 and < 21 ? concentration * (21 - referenceOxygen) / (21 - oxygen) : null;

    private static void CorrectForOxygen(HourValue[] hours, HourValue[]? oxygen, double? reference)
    {
        for (var h = 0; h < hours.Length; h++)
            hours[h].Corrected = reference is { } r && hours[h].Mean is { } c && oxygen?[h] is { Status: PeriodStatus.Valid, Mean: { } o2 } ? Corrected(c, o2, r) : null;
    }

    /// <summary>Hour mass in kg = mean concentration × hour volume (m³) × the profile's unit factor (10⁻³ water, 10⁻⁶ gas).</summary>
    private static void ComputeMass(ValidityProfile profile, HourValue[] hours, HourValue[] flow)
    {
        var kg = profile.Mass.KgPerConcentrationVolume.Value;
        for (var h = 0; h < hours.Length; h++)
        {
            ref var hour = ref hours[h];
            if (hour.Status == PeriodStatus.Stopped || flow[h].Status == PeriodStatus.Stopped)
            {
                hour.MassKg = 0;
                hour.Mass = MassSource.Stopped;
            }
            else if (hour is { Status: PeriodStatus.Valid, Mean: { } c } && flow[h].VolumeM3 is { } volume)
            {
                hour.MassKg = c * volume * kg;
                hour.Mass = MassSource.Measured;
            }
            else
            {
                hour.MassKg = null;
                hour.Mass = MassSource.None;
            }
        }
    }

    /// <summary>
    /// Gives invalid and missing producing hours a mass by the profile's substitution rule: a gap of up
    /// to ShortGapHours takes the mean of the measured hours on either side (one side when the other
    /// is not known); a longer gap takes the largest of the LookbackValidHours measured hours before it.
    /// Stopped hours end a gap and are skipped when looking for neighbours.
    /// </summary>
    public static void Substitute(ValidityProfile profile, HourValue[] hours, double[]? priorMeasured = null, int priorGapHours = 0)
    {
        var shortGap = (int)profile.Substitution.ShortGapHours.Value;
        var lookback = (int)profile.Substitution.LookbackValidHours.Value;
        var prior = priorMeasured ?? [];
        var i = 0;
        while (i < hours.Length)
        {
            if (hours[i].Mass != MassSource.None)
            {
                i++;
                continue;
            }
            var start = i;
            while (i < hours.Length && hours[i].Mass == MassSource.None)
                i++;
            var length = i - start + (start == 0 ? priorGapHours : 0);
            double? value;
            if (length <= shortGap)
            {
                var before = Neighbour(hours, start - 1, -1, prior);
                var after = Neighbour(hours, i, +1, []);
                value = before is { } b && after is { } a ? (a + b) / 2 : before ?? after ?? LargestBefore(hours, start, lookback, prior);
            }
            else
            {
                value = LargestBefore(hours, start, lookback, prior);
            }
            if (value is not { } v)
                continue;
            for (var k = start; k < i; k++)
            {
                hours[k].MassKg = v;
                hours[k].Mass = MassSource.Substituted;
            }
        }
    }

    private static double? Neighbour(HourValue[] hours, int k, int step, double[] beyond)
    {
        while (k >= 0 && k < hours.Length && hours[k].Mass == MassSource.Stopped)
            k += step;
        if (k < 0)
            return beyond.Length > 0 ? beyond[^1] : null;
        if (k >= hours.Length)
            return null;
        return hours[k].Mass == MassSource.Measured ? hours[k].MassKg : null;
    }

    private static double? LargestBefore(HourValue[] hours, int start, int lookback, double[] prior)
    {
        double? largest = null;
        var seen = 0;
        for (var k = start - 1; k >= 0 && seen < lookback; k--)
        {
            if (hours[k].Mass != MassSource.Measured)
                continue;
            seen++;
            if (largest is null || hours[k].MassKg > largest)
                largest = hours[k].MassKg;
        }
        for (var k = prior.Length - 1; k >= 0 && seen < lookback; k--, seen++)
            if (largest is null || prior[k] > largest)
                largest = prior[k];
        return largest;
    }
}
