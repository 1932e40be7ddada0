using CsCheck;
using Xunit;
using Zongliang.Domain.Warnings;

namespace Zongliang.Domain.Tests.Warnings;

public class ExceedanceEvaluatorTests
{
    private static readonly DateTime T0 = new(2026, 11, 26, 0, 0, 0, DateTimeKind.Utc);

    private static List<PeriodPoint> Hours(params double?[] values) =>
        values.Select((v, i) => new PeriodPoint(T0.AddHours(i), v)).ToList();

    [Fact]
    public void EightyPercentIsYellowOverTheLimitOrangeThreeHoursInARowRed()
    {
        Assert.Equal(WarningLevel.Yellow, Assert.Single(ExceedanceEvaluator.Episodes(Hours(50, 85, 90, 40), 100, 80, 3)).Level);
        Assert.Equal(WarningLevel.Orange, Assert.Single(ExceedanceEvaluator.Episodes(Hours(50, 120, 90, 101, 40), 100, 80, 3)).Level);
        var red = Assert.Single(ExceedanceEvaluator.Episodes(Hours(50, 120, 130, 110, 40), 100, 80, 3));
        Assert.Equal(WarningLevel.Red, red.Level);
        Assert.Equal((T0.AddHours(1), T0.AddHours(3), 130d, 3), (red.StartUtc, red.LastUtc, red.Peak, red.LongestRun));
        Assert.False(red.Open);
        // Exactly at the limit is not over it; just under 80 % is nothing.
        Assert.Equal(WarningLevel.Yellow, Assert.Single(ExceedanceEvaluator.Episodes(Hours(100, 100, 100), 100, 80, 3)).Level);
        Assert.Empty(ExceedanceEvaluator.Episodes(Hours(79.9, 10, 0), 100, 80, 3));
    }

    [Fact]
    public void HoursWithoutValidDataNeitherEndNorExtendAnEpisode()
    {
        var episodes = ExceedanceEvaluator.Episodes(Hours(120, null, 130, null, 125), 100, 80, 3);
        var e = Assert.Single(episodes);
        Assert.True(e.Open); // the last valid hour is still over
        Assert.Equal(WarningLevel.Red, e.Level); // three valid hours over the limit, with gaps between them
        Assert.Equal(3, e.Periods);
    }

    [Fact]
    public void AReturnToNormalEndsTheEpisodeAndANewOneStartsAfresh()
    {
        var episodes = ExceedanceEvaluator.Episodes(Hours(120, 130, 20, 110, 50), 100, 80, 3);
        Assert.Equal(2, episodes.Count);
        Assert.Equal([T0, T0.AddHours(3)], episodes.Select(e => e.StartUtc));
        Assert.All(episodes, e => Assert.Equal(WarningLevel.Orange, e.Level));
        Assert.All(episodes, e => Assert.False(e.Open));
    }

    [Fact]
    public void ANonPositiveLimitRaisesNothing() =>
        Assert.Empty(ExceedanceEvaluator.Episodes(Hours(500, 600), 0, 80, 3));

    [Fact]
    public void EveryPeriodOverThePreWarningShareIsInExactlyOneEpisodeAndEpisodesDoNotOverlap() =>
        Gen.Select(Gen.Double[0, 200], Gen.Int[0, 4]).Array[0, 60].Sample(values =>
        {
            // About one period in five has no valid value.
            var points = Hours(values.Select(v => v.Item2 == 0 ? null : (double?)v.Item1).ToArray());
            var episodes = ExceedanceEvaluator.Episodes(points, 100, 80, 3);
            var over = points.Where(p => p.Value >= 80).ToList();
            Assert.Equal(over.Count, episodes.Sum(e => e.Periods));
            foreach (var p in over)
                Assert.Single(episodes, e => e.StartUtc <= p.StartUtc && p.StartUtc <= e.LastUtc);
            Assert.All(episodes.Zip(episodes.Skip(1)), pair => Assert.True(pair.First.LastUtc < pair.Second.StartUtc));
            Assert.All(episodes.SkipLast(1), e => Assert.False(e.Open));
        });

    [Theory]
    [InlineData(79.9, null)]
    [InlineData(80, WarningLevel.Yellow)]
    [InlineData(90, WarningLevel.Orange)]
    [InlineData(99.99, WarningLevel.Orange)]
    [InlineData(100, WarningLevel.Red)]
    [InlineData(150, WarningLevel.Red)]
    public void AnnualLevelsAtEightyNinetyAndAHundredPercent(double share, WarningLevel? level) =>
        Assert.Equal(level, ExceedanceEvaluator.AnnualLevel(share * 2, 200, [80, 90, 100]));
}
