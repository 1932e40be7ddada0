using CsCheck;
using Xunit;
using Zongliang.Domain.Quotas;

namespace Zongliang.Domain.Tests.Quotas;

public class LedgerTests
{
    [Fact]
    public void TheHeadroomIsTheAllowedTotalLessCurrentPlusPendingIncrementsLessConfirmedReductions()
    {
        var target = new RegionTarget(7, "cod", 2026, 2025, baseTotal: 1000, reductionPercent: 3, currentTotal: 960, source: "2025 年环境统计");
        var increments = new[]
        {
            new QuotaIncrement(7, "甲项目", "cod", 2026, 12, IncrementStatus.Verified, "青环总量〔2026〕1号"),
            new QuotaIncrement(7, "乙项目", "cod", 2026, 8, IncrementStatus.UnderConstruction, "青环总量〔2026〕2号"),
            new QuotaIncrement(7, "丙项目", "cod", 2026, 30, IncrementStatus.Operating, "青环总量〔2025〕9号"),
            new QuotaIncrement(7, "丁项目", "so2", 2026, 99, IncrementStatus.Verified, "另一种污染物"),
            new QuotaIncrement(8, "戊项目", "cod", 2026, 99, IncrementStatus.Verified, "另一个县"),
        };
        var closure = new ReductionMeasure(7, null, "cod", 2026, MeasureType.Structural, "关停造纸生产线", 25, new DateOnly(2026, 6, 30));
        Assert.True(closure.Confirm(new DateOnly(2026, 6, 20), "现场核查记录", new DateOnly(2026, 11, 27)).Succeeded);
        var works = new ReductionMeasure(7, null, "cod", 2026, MeasureType.Engineering, "污水厂提标", 10, new DateOnly(2026, 12, 31));

        var line = LedgerLine.For(target, increments, [closure, works]);

        Assert.Equal(970m, line.Allowed);
        Assert.Equal((12m, 8m, 30m, 20m), (line.Verified, line.UnderConstruction, line.Operating, line.PendingIncrements));
        Assert.Equal((25m, 10m), (line.ConfirmedReductions, line.PendingReductions));
        Assert.Equal(960m + 20m - 25m, line.Projected);
        Assert.Equal(970m - 955m, line.Headroom);
        Assert.True(line.TargetMet);
        Assert.Equal(25m, line.ConfirmedByType[MeasureType.Structural]);
        Assert.Equal(Math.Round((1000m - 955m) / 30m, 4), line.Completion);
    }

    [Fact]
    public void AMeasureIsConfirmedOnceWithEvidenceAndIsOverdueWhenLate()
    {
        var today = new DateOnly(2026, 11, 27);
        var m = new ReductionMeasure(7, 3, "so2", 2026, MeasureType.Structural, "拆除 10 蒸吨燃煤锅炉", 40, new DateOnly(2026, 9, 30));

        Assert.True(m.Overdue(today));
        Assert.Equal("Evidence", m.Confirm(today, " ", today).Field);
        Assert.Equal("ConfirmedOn", m.Confirm(today.AddDays(1), "拆除照片", today).Field);
        Assert.True(m.Confirm(new DateOnly(2026, 10, 8), "拆除验收单", today).Succeeded);
        Assert.True(m.Overdue(today)); // done after its deadline
        Assert.False(m.Confirm(today, "再确认", today).Succeeded);
    }

    private static readonly Gen<List<LedgerLine>> Counties =
        Gen.Select(Gen.Int[0, 1_000_000], Gen.Int[0, 20_000], Gen.Int[0, 1500], Gen.Int[0, 5000], Gen.Int[0, 5000], Gen.Int[0, 5000], Gen.Int[0, 3000], Gen.Int[0, 3000])
            .Select(x => new LedgerLine(0, "cod", 2026, x.Item1 / 10m, x.Item1 / 10m * (1 - x.Item3 / 10_000m), x.Item2 / 10m, x.Item4 / 100m, x.Item5 / 100m, x.Item6 / 100m,
                x.Item7 / 100m, x.Item8 / 100m, new Dictionary<MeasureType, decimal> { [MeasureType.Structural] = x.Item7 / 100m }))
            .List[1, 12];

    [Fact]
    public void TheCityIsTheSumOfItsCountiesAndSoIsItsHeadroom()
    {
        Counties.Sample(counties =>
        {
            var city = LedgerLine.Sum(1, "cod", 2026, counties);
            return city.Allowed == counties.Sum(c => c.Allowed)
                && city.Current == counties.Sum(c => c.Current)
                && city.PendingIncrements == counties.Sum(c => c.PendingIncrements)
                && city.ConfirmedReductions == counties.Sum(c => c.ConfirmedReductions)
                && city.Headroom == counties.Sum(c => c.Headroom)
                && city.ConfirmedByType[MeasureType.Structural] == counties.Sum(c => c.ConfirmedByType[MeasureType.Structural]);
        }, iter: 500);
    }

    [Fact]
    public void IncrementsAndReductionsBalance()
    {
        // Adding an increment and a confirmed reduction of the same amount leaves the headroom unchanged.
        Gen.Select(Counties, Gen.Int[0, 100_000]).Sample((counties, amount) =>
        {
            var c = counties[0];
            var moved = c with { Verified = c.Verified + amount / 100m, ConfirmedReductions = c.ConfirmedReductions + amount / 100m };
            return moved.Headroom == c.Headroom && moved.Projected == c.Projected;
        }, iter: 500);
    }
}

public class OffsetTests
{
    [Fact]
    public void OnlyAConfirmedMeasuresRemainingTonnesCanBeReserved()
    {
        var today = new DateOnly(2026, 11, 27);
        var m = new ReductionMeasure(7, null, "cod", 2026, MeasureType.Structural, "关停造纸线", 20, new DateOnly(2026, 6, 30));

        Assert.Equal("OffsetMeasureId", m.Reserve(5).Field); // not confirmed
        m.Confirm(new DateOnly(2026, 6, 1), "验收单", today);
        Assert.True(m.Reserve(12).Succeeded);
        Assert.Equal(8m, m.Available);
        Assert.Contains("仅剩 8", m.Reserve(9).Error);
        Assert.True(m.Reserve(8).Succeeded);
        Assert.Equal(0m, m.Available);
        Assert.False(m.Reserve(0.001m).Succeeded);
    }

    [Fact]
    public void TheOffsetRatioIsOneToOneAndTwoToOneWhereTheRegionMissesItsTarget()
    {
        var ratios = OffsetRatios.Load();

        Assert.Equal(1m, ratios.RatioFor("950125", "cod", regionMeetsTarget: true));
        Assert.Equal(2m, ratios.RatioFor("950125", "cod", regionMeetsTarget: false));
        var custom = ratios with { Overrides = [new OffsetOverride("950125", "so2", 1.5, "本地规定")] };
        Assert.Equal(1.5m, custom.RatioFor("950125", "so2", true));
        Assert.Equal(1m, custom.RatioFor("950125", "cod", true));
    }
}
