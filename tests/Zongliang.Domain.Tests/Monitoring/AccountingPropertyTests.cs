using CsCheck;
using Xunit;
using Zongliang.Domain.Monitoring.Validity;
using static Zongliang.Domain.Tests.Monitoring.SeriesBuilder;

namespace Zongliang.Domain.Tests.Monitoring;

/// <summary>
/// Properties over random outlets: a few days of 10-minute water data (flow, COD, NH3-N) with runs
/// of stops, faults, manual values, missing points and repeated values.
/// </summary>
public class AccountingPropertyTests
{
    private static readonly HashSet<string> Pollutants = ["w01018", "w21003"];

    private sealed record Outlet(FactorSeries[] Series, int Days);

    private static readonly Gen<Outlet> Outlets =
        Gen.Select(Gen.Int[1, 4], Gen.Int[0, int.MaxValue], (days, seed) => Build(days, seed));

    private static Outlet Build(int days, int seed)
    {
        var random = new Random(seed);
        var points = days * 144;
        var stopped = new bool[points];
        for (var i = 0; i < points; i++)
            stopped[i] = i > 0 && (stopped[i - 1] ? random.NextDouble() < 0.95 : random.NextDouble() < 0.004);
        FactorSeries Make(string code, double level)
        {
            var list = new List<MinuteValue>();
            var flag = 'N';
            var value = level;
            for (var i = 0; i < points; i++)
            {
                if (random.NextDouble() < 0.03)
                    flag = "NNNMDSBC"[random.Next(8)]; // runs of one flag
                else if (random.NextDouble() < 0.1)
                    flag = 'N';
                if (random.NextDouble() < 0.02)
                    continue; // missing point
                if (random.NextDouble() > 0.02) // otherwise repeat the last value
                    value = Math.Round(level * (0.5 + random.NextDouble()), 2);
                list.Add(new MinuteValue(Start.AddMinutes(10 * i), stopped[i] ? 0 : value, stopped[i] ? 'F' : flag));
            }
            return new FactorSeries(code, [.. list]);
        }
        return new Outlet([Make("w00000", 80), Make("w01018", 40), Make("w21003", 4)], days);
    }

    [Fact]
    public void HourMassesAddUpToDaysMonthsAndYears()
    {
        Outlets.Sample(outlet =>
        {
            var result = OutletEvaluator.Evaluate(Water, outlet.Series, new OutletContext(Pollutants), Start, Start.AddDays(outlet.Days));
            foreach (var code in Pollutants)
            {
                var hourTotal = result.Hours[code].Sum(h => h.MassKg ?? 0);
                var days = result.Days[code];
                var dayTotal = days.Sum(d => d.MassKg);
                var period = ValidityEngine.Roll(Water, days, result.Days["w00000"]);
                if (Math.Abs(hourTotal - dayTotal) > 1e-9 * Math.Max(1, hourTotal) || Math.Abs(period.MassKg - dayTotal) > 1e-9 * Math.Max(1, dayTotal))
                    return false;
                if (result.Hours[code].Count(h => h.Mass == MassSource.Substituted) != period.SubstitutedHours)
                    return false;
            }
            return true;
        }, iter: 200);
    }

    [Fact]
    public void EvaluatingDayByDayEqualsRecomputingTheWholeRange()
    {
        Outlets.Sample(outlet =>
        {
            var to = Start.AddDays(outlet.Days);
            var whole = OutletEvaluator.Evaluate(Water, outlet.Series, new OutletContext(Pollutants), Start, to);

            // The incremental path: each day's hours alone (the series give context around them),
            // then the accounting over the stored hours.
            var flow = outlet.Series[0];
            var incremental = outlet.Series.ToDictionary(s => s.FactorCode, s => Enumerable.Range(0, outlet.Days)
                .SelectMany(d => ValidityEngine.EvaluateHours(Water, s, flow, Start.AddDays(d), Start.AddDays(d + 1)))
                .ToArray());
            var accounted = OutletEvaluator.Account(Water, incremental, new OutletContext(Pollutants));

            return outlet.Series.All(s =>
                whole.Hours[s.FactorCode].SequenceEqual(accounted.Hours[s.FactorCode])
                && whole.Days[s.FactorCode].SequenceEqual(accounted.Days[s.FactorCode]));
        }, iter: 200);
    }

    [Fact]
    public void AnAuditDecisionChangesTheAggregatesAndOnlyANewDecisionUndoesIt()
    {
        Gen.Select(Outlets, Gen.Int[0, 23]).Sample((outlet, hour) =>
        {
            var context = new OutletContext(Pollutants);
            var before = OutletEvaluator.Evaluate(Water, outlet.Series, context, Start, Start.AddDays(outlet.Days));
            var original = before.Hours["w01018"][hour];
            if (original.Status == PeriodStatus.Stopped || original.ManualCount > 0)
                return true; // approving S values changes the mean by design (tested on its own)
            var flip = new AuditOverride("w01018", original.HourUtc, AuditSpan.Hour, original.Status != PeriodStatus.Valid);
            var flipped = OutletEvaluator.Evaluate(Water, outlet.Series, context with { Decisions = [flip] }, Start, Start.AddDays(outlet.Days));
            var restored = OutletEvaluator.Evaluate(Water, outlet.Series, context with { Decisions = [flip, flip with { Valid = !flip.Valid }] }, Start, Start.AddDays(outlet.Days));

            var changed = flipped.Hours["w01018"][hour].Status != original.Status;
            var back = restored.Hours["w01018"][hour];
            // Restored by the second decision: same status and mass as before, and marked as audited.
            return changed && back.Status == original.Status && back.Audited
                && Nullable.Equals(back.Mean, original.Mean)
                && restored.Days["w01018"].Select(d => d.MassKg).SequenceEqual(before.Days["w01018"].Select(d => d.MassKg))
                && NH3Untouched(before, flipped);
        }, iter: 200);

        static bool NH3Untouched(OutletEvaluation a, OutletEvaluation b) => a.Hours["w21003"].SequenceEqual(b.Hours["w21003"]);
    }
}
