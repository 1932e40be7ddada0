using Xunit;
using Zongliang.Domain.Monitoring.Validity;
using Zongliang.Domain.Warnings;

namespace Zongliang.Domain.Tests.Warnings;

/// <summary>Each detector on a synthetic series that contains its pattern and on one that does not.</summary>
public class SuspicionDetectorsTests
{
    private static readonly DateTime T0 = new(2026, 11, 25, 16, 0, 0, DateTimeKind.Utc); // 00:00 Beijing
    private static readonly SuspicionRules Rules = WarningRules.Load().Suspicion;

    private static HourPoint[] Series(params double?[] values) =>
        values.Select((v, i) => new HourPoint(T0.AddHours(i), v, v is not null, false, 0, false)).ToArray();

    /// <summary>A noisy honest series around a level: a deterministic pseudo-random walk.</summary>
    private static double?[] Noisy(int hours, double level, double amplitude, int seed = 7)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, hours).Select(_ => (double?)(level + (random.NextDouble() * 2 - 1) * amplitude)).ToArray();
    }

    [Fact]
    public void FlatJustBelowTheLimitIsFoundWithItsSpanAndScore()
    {
        double?[] values = [.. Noisy(5, 60, 15), 93.2, 93.3, 93.1, 93.2, 93.4, 93.2, 93.3, .. Noisy(5, 60, 15)];
        var found = Assert.Single(SuspicionDetectors.FindFlatBelowLimit("a21026", Series(values), 100, Rules.FlatBelowLimit));
        Assert.Equal((T0.AddHours(5), T0.AddHours(11)), (found.StartUtc, found.LastUtc));
        Assert.Equal(65, found.Score); // 60 for six hours, +5 for the seventh
        Assert.Contains("连续7小时", found.Evidence);
    }

    [Fact]
    public void HonestValuesNearTheLimitAreNotFlat()
    {
        Assert.Empty(SuspicionDetectors.FindFlatBelowLimit("a21026", Series(Noisy(24, 92, 6)), 100, Rules.FlatBelowLimit));
        // Flat, but far below the limit: a steady plant, not a held value.
        Assert.Empty(SuspicionDetectors.FindFlatBelowLimit("a21026", Series(Enumerable.Repeat<double?>(40, 24).ToArray()), 100, Rules.FlatBelowLimit));
        // Flat near the limit, but too short.
        Assert.Empty(SuspicionDetectors.FindFlatBelowLimit("a21026", Series(93, 93, 93, 93, 93), 100, Rules.FlatBelowLimit));
    }

    [Fact]
    public void ASharpDropWithSteadyFlowIsFoundButNotWhenTheFlowDropsToo()
    {
        var conc = Series(95, 98, 102, 30, 31);
        var steady = Series(5000, 5100, 4950, 5050, 5000);
        var found = Assert.Single(SuspicionDetectors.FindSharpDrop("a21026", conc, steady, 100, Rules.SharpDrop));
        Assert.Equal(T0.AddHours(3), found.StartUtc);
        Assert.Equal(70, found.Score);

        var lowered = Series(5000, 5100, 4950, 1500, 1500); // the plant cut its load: the drop is explained
        Assert.Empty(SuspicionDetectors.FindSharpDrop("a21026", conc, lowered, 100, Rules.SharpDrop));
        // A drop from far below the limit is ordinary variation.
        Assert.Empty(SuspicionDetectors.FindSharpDrop("a21026", Series(40, 42, 41, 10, 12), steady, 100, Rules.SharpDrop));
    }

    [Fact]
    public void ManualValuesDuringAnExceedanceAreFoundButNotAtOrdinaryTimes()
    {
        var so2 = Series(80, 130, 140, 60);
        var nox = Series(50, 50, 50, 50);
        nox[2] = nox[2] with { Manual = 4 };
        var limits = new Dictionary<string, double> { ["a21026"] = 100, ["a21002"] = 100 };
        var found = Assert.Single(SuspicionDetectors.FindManualDuringExceedance(new Dictionary<string, HourPoint[]> { ["a21026"] = so2, ["a21002"] = nox }, limits));
        Assert.Equal(("a21002", T0.AddHours(2), 80), (found.FactorCode, found.StartUtc, found.Score));
        Assert.Contains("a21026", found.Evidence);

        var calm = Series(80, 70, 60, 60);
        Assert.Empty(SuspicionDetectors.FindManualDuringExceedance(new Dictionary<string, HourPoint[]> { ["a21026"] = calm, ["a21002"] = nox }, limits));
    }

    [Fact]
    public void GapsAtOneFactorWhileAnotherExceedsAreFoundAsOneRun()
    {
        var so2 = Series(90, 130, 140, 150, 60);
        var nox = Series(50, null, null, null, 50);
        var limits = new Dictionary<string, double> { ["a21026"] = 100, ["a21002"] = 100 };
        var found = Assert.Single(SuspicionDetectors.FindGapDuringExceedance(new Dictionary<string, HourPoint[]> { ["a21026"] = so2, ["a21002"] = nox }, limits));
        Assert.Equal(("a21002", T0.AddHours(1), T0.AddHours(3), 75), (found.FactorCode, found.StartUtc, found.LastUtc, found.Score));

        // The same gap while nothing exceeds is a device problem (the no-data warning), not a suspicion.
        Assert.Empty(SuspicionDetectors.FindGapDuringExceedance(
            new Dictionary<string, HourPoint[]> { ["a21026"] = Series(90, 60, 60, 60, 60), ["a21002"] = nox }, limits));
        // A stop is not a gap.
        var stopped = nox.Select(h => h.Value is null ? h with { Stopped = true } : h).ToArray();
        Assert.Empty(SuspicionDetectors.FindGapDuringExceedance(new Dictionary<string, HourPoint[]> { ["a21026"] = so2, ["a21002"] = stopped }, limits));
    }

    [Fact]
    public void AGapWhileANeighbouringSourceExceedsIsFoundWithTheNeighbourNamed()
    {
        var cod = Series(40, null, null, 42);
        var limits = new Dictionary<string, double> { ["w01018"] = 100 };
        (string, DateTime)[] neighbour = [("青川市某纸业 DW001 w01018", T0.AddHours(1)), ("青川市某纸业 DW001 w01018", T0.AddHours(2))];
        var found = Assert.Single(SuspicionDetectors.FindGapDuringExceedance(new Dictionary<string, HourPoint[]> { ["w01018"] = cod }, limits, neighbour));
        Assert.Equal((T0.AddHours(1), T0.AddHours(2), 60), (found.StartUtc, found.LastUtc, found.Score));
        Assert.Contains("青川市某纸业 DW001", found.Evidence);
        // Without the neighbour's exceedance the same gap is only a device matter.
        Assert.Empty(SuspicionDetectors.FindGapDuringExceedance(new Dictionary<string, HourPoint[]> { ["w01018"] = cod }, limits, []));
    }

    [Theory]
    [InlineData(34.75, 113.62, 34.75, 113.62, 0, 0.001)]
    [InlineData(34.75, 113.62, 34.76, 113.62, 1.112, 0.01)] // 0.01° of latitude
    [InlineData(34.75, 113.62, 34.75, 113.64, 1.827, 0.01)] // 0.02° of longitude at 34.75°N
    public void DistancesBetweenOutlets(double lat1, double lon1, double lat2, double lon2, double km, double tolerance) =>
        Assert.Equal(km, SuspicionDetectors.DistanceKm(lat1, lon1, lat2, lon2), tolerance);

    [Fact]
    public void ZeroFlowWhileConcentrationsAreReportedIsFound()
    {
        var outlet = new Dictionary<string, HourPoint[]> { ["w01018"] = Series(40, 42, 41, 43), ["w00000"] = Series(20, 0, 0, 0) };
        var found = Assert.Single(SuspicionDetectors.FindZeroFlow("w00000", outlet));
        Assert.Equal((T0.AddHours(1), T0.AddHours(3), 85), (found.StartUtc, found.LastUtc, found.Score));

        var stoppedPlant = new Dictionary<string, HourPoint[]>
        {
            ["w01018"] = Series(40, null, null, null).Select(h => h.Value is null ? h with { Stopped = true } : h).ToArray(),
            ["w00000"] = Series(20, 0, 0, 0),
        };
        Assert.Empty(SuspicionDetectors.FindZeroFlow("w00000", stoppedPlant));
    }

    [Fact]
    public void ImplausiblySmoothMinutesAreFoundButNoisyOrStuckOnesAreNot()
    {
        var smooth = Enumerable.Range(0, 36).Select(i => (T0.AddMinutes(10 * i), 50 + 0.01 * Math.Sin(i))).ToList();
        var found = SuspicionDetectors.FindSmoothMinutes("w01018", smooth, Rules.SmoothMinutes);
        Assert.NotNull(found);
        Assert.Equal(65, found.Score);

        var random = new Random(3);
        var noisy = Enumerable.Range(0, 36).Select(i => (T0.AddMinutes(10 * i), 50 + random.NextDouble() * 4)).ToList();
        Assert.Null(SuspicionDetectors.FindSmoothMinutes("w01018", noisy, Rules.SmoothMinutes));
        var stuck = Enumerable.Range(0, 36).Select(i => (T0.AddMinutes(10 * i), 50d)).ToList();
        Assert.Null(SuspicionDetectors.FindSmoothMinutes("w01018", stuck, Rules.SmoothMinutes));
        Assert.Null(SuspicionDetectors.FindSmoothMinutes("w01018", smooth.Take(10).ToList(), Rules.SmoothMinutes)); // too few points
    }

    [Theory]
    [InlineData(60, WarningLevel.Yellow)]
    [InlineData(65, WarningLevel.Orange)]
    [InlineData(80, WarningLevel.Red)]
    public void ScoresMapToLevels(int score, WarningLevel level) => Assert.Equal(level, SuspicionDetectors.LevelOf(score));

    [Fact]
    public void TheShippedRulesLoadAndABrokenCopyIsRefused()
    {
        var rules = WarningRules.Load();
        Assert.Equal(80, rules.Exceedance.PreWarningPercent.Value);
        Assert.Equal(3, rules.Exceedance.ContinuousPeriods.Value);
        Assert.Equal([80d, 90d, 100d], rules.Annual.Percents.Select(p => p.Value));

        var dir = Directory.CreateTempSubdirectory().FullName;
        try
        {
            var text = File.ReadAllText(Path.Combine(ValidityProfile.DefaultDirectory, "warning-rules.json"));
            File.WriteAllText(Path.Combine(dir, "warning-rules.json"), text.Replace("\"value\": 90,", "\"value\": 70,"));
            var error = Assert.Throws<InvalidDataException>(() => WarningRules.Load(dir));
            Assert.Contains("increasing", error.Message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
