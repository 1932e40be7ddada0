using Xunit;
using Zongliang.Domain.Monitoring.Comparison;
using Zongliang.Domain.Registry;

namespace Zongliang.Domain.Tests.Monitoring;

public class ComparisonTests
{
    private static readonly ComparisonLimits Limits = ComparisonLimits.Load();

    private static ComparisonVerdict Verdict(string factor, params (double Device, double Lab)[] pairs)
    {
        var (verdict, outcome) = ComparisonEvaluator.Evaluate(Limits, factor, pairs.Select(p => new SamplePair(p.Device, p.Lab)).ToList());
        Assert.True(outcome.Succeeded, outcome.Error);
        return verdict!;
    }

    [Fact]
    public void CodBetween30And60IsJudgedByRelativeErrorWithin30Percent()
    {
        var pass = Verdict("w01018", (50, 45), (46, 44), (40, 42));
        var fail = Verdict("w01018", (60, 45), (46, 44), (40, 42));

        Assert.Equal((ErrorKind.Relative, 30.0, true), (pass.Kind, pass.Limit, pass.Passed));
        Assert.Equal(100.0 * (50 - 45) / 45, pass.Error, 6); // the worst pair
        Assert.False(fail.Passed);
        Assert.Equal(100.0 * 15 / 45, fail.Error, 6);
    }

    [Fact]
    public void LowCodIsJudgedByAbsoluteErrorAndHighCodBy15Percent()
    {
        Assert.Equal((ErrorKind.Absolute, 4.0, true), Pick(Verdict("w01018", (24, 20), (21, 20), (19, 20))));
        Assert.Equal((ErrorKind.Absolute, -6.0, false), Pick(Verdict("w01018", (14, 20), (21, 20), (19, 20))));
        var high = Verdict("w01018", (130, 120), (118, 120), (121, 120));
        Assert.Equal((ErrorKind.Relative, 15.0, true), (high.Kind, high.Limit, high.Passed));

        static (ErrorKind, double, bool) Pick(ComparisonVerdict v) => (v.Kind, Math.Round(v.Error, 6), v.Passed);
    }

    [Fact]
    public void AmmoniaAndPhosphorusHaveTheirOwnBands()
    {
        Assert.Equal(ErrorKind.Absolute, Verdict("w21003", (1.2, 1.0), (1.1, 1.0), (0.9, 1.0)).Kind);
        Assert.False(Verdict("w21003", (1.4, 1.0), (1.1, 1.0), (0.9, 1.0)).Passed);
        Assert.True(Verdict("w21011", (0.33, 0.3), (0.31, 0.3), (0.29, 0.3)).Passed);
    }

    [Fact]
    public void GasBandsAreInMicromolesPerMoleConvertedByMolarMass()
    {
        // 100 mg/m³ SO2 = 100 × 22.4 / 64 = 35 μmol/mol: the 20–50 band, relative error ±30 %.
        var v = Verdict("a21026", (110, 100), (105, 100), (98, 100));

        Assert.Equal(35, v.ReferenceMean, 6);
        Assert.Equal((ErrorKind.Relative, true), (v.Kind, v.Passed));
        Assert.Equal("μmol/mol", v.Unit);
    }

    [Fact]
    public void HighGasConcentrationsAreJudgedByRelativeAccuracyOverNinePairs()
    {
        double[] lab = [800, 820, 790, 810, 805, 815, 795, 800, 810];
        double[] device = [810, 835, 800, 805, 820, 825, 800, 815, 812];
        var pairs = device.Select((d, i) => (d, lab[i])).ToArray();

        var v = Verdict("a21026", pairs);

        // By hand: d = device − lab (mg/m³), scaled to μmol/mol; RA = (|d̄| + t(8) × Sd / 3) / x̄.
        var scale = 22.4 / 64;
        var d = device.Select((x, i) => (x - lab[i]) * scale).ToArray();
        var mean = d.Average();
        var sd = Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / 8);
        var expected = (Math.Abs(mean) + 2.306 * sd / 3) / (lab.Average() * scale) * 100;
        Assert.Equal(ErrorKind.RelativeAccuracy, v.Kind);
        Assert.Equal(expected, v.Error, 9);
        Assert.True(v.Passed);
        Assert.False(ComparisonEvaluator.Evaluate(Limits, "a21026", pairs.Take(5).Select(p => new SamplePair(p.d, p.Item2)).ToList()).Outcome.Succeeded);
    }

    [Fact]
    public void TooFewPairsOrAnUnknownFactorIsRefused()
    {
        Assert.Contains("至少需要 3 组", ComparisonEvaluator.Evaluate(Limits, "w01018", [new(1, 1), new(1, 1)]).Outcome.Error);
        Assert.False(ComparisonEvaluator.Evaluate(Limits, "w01001", [new(1, 1), new(1, 1), new(1, 1)]).Outcome.Succeeded);
    }

    [Fact]
    public void AContinuousProducerIsComparedOnceAQuarter()
    {
        var due = Assert.Single(ComparisonSchedule.Current(ProductionMode.Continuous, [], new DateOnly(2026, 11, 27)));

        Assert.Equal(("2026Q4", new DateOnly(2026, 12, 31)), (due.Key, due.Due));
    }

    [Fact]
    public void ASeasonalProducerIsComparedTwicePerProductionPeriodAcrossTheYearEnd()
    {
        var heating = ProductionPeriod.Parse("11-15~03-15")!;

        var dues = ComparisonSchedule.Current(ProductionMode.Seasonal, [heating], new DateOnly(2027, 1, 10));

        Assert.Equal(["20261115-1", "20261115-2"], dues.Select(d => d.Key));
        Assert.Equal(new DateOnly(2027, 3, 15), dues[1].Due);
        Assert.True(dues[0].Due > new DateOnly(2026, 12, 31) && dues[0].Due < dues[1].Due);
        Assert.Empty(ComparisonSchedule.Current(ProductionMode.Seasonal, [heating], new DateOnly(2027, 6, 1)));
    }

    [Fact]
    public void AFinishedTaskTakesNoMoreSamplesAndFailsWhenAFactorFails()
    {
        var now = new DateTime(2026, 11, 27, 2, 0, 0, DateTimeKind.Utc);
        var task = new ComparisonTask(1, "2026Q4", "2026年第4季度", new DateOnly(2026, 12, 31), ComparisonKind.Scheduled, "运维 张工", now);
        Assert.True(task.AddSample("w01018", now.AddHours(-1), 45, "HJ 828-2017", now).Succeeded);
        Assert.False(task.AddSample("w01018", now.AddHours(1), 45, null, now).Succeeded);
        Assert.False(task.AddSample("w01018", now, -1, null, now).Succeeded);

        Assert.True(task.Complete([Verdict("w01018", (50, 45), (46, 44), (40, 42)), Verdict("w21003", (1.4, 1.0), (1.1, 1.0), (0.9, 1.0))], "监测站 王强", now).Succeeded);

        Assert.Equal(ComparisonState.Failed, task.State);
        Assert.False(task.AddSample("w01018", now, 45, null, now).Succeeded);
        Assert.False(task.IsOverdue(new DateOnly(2027, 1, 5)));
        Assert.True(new ComparisonTask(1, "k", "l", new DateOnly(2026, 12, 31), ComparisonKind.Scheduled, "", now).IsOverdue(new DateOnly(2027, 1, 1)));
    }
}
