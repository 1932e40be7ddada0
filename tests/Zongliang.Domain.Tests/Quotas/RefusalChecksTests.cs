using Xunit;
using Zongliang.Domain.Quotas;

namespace Zongliang.Domain.Tests.Quotas;

/// <summary>Each refusal condition with a case that holds and one that does not.</summary>
public class RefusalChecksTests
{
    private static readonly DateOnly Today = new(2026, 11, 27);

    private static LedgerLine Line(decimal current, decimal confirmed = 0) =>
        new(7, "cod", 2026, BaseTotal: 1000, Allowed: 970, Current: current, Verified: 0, UnderConstruction: 0, Operating: 0,
            ConfirmedReductions: confirmed, PendingReductions: 0, ConfirmedByType: new Dictionary<MeasureType, decimal>());

    private static RefusalFinding Check(int condition, LedgerLine line, decimal applied = 0, RegionRestriction[]? restrictions = null, ReductionMeasure[]? measures = null) =>
        RefusalChecks.ForRegion(line, applied, restrictions ?? [], measures ?? [], Today).Single(f => f.Condition == condition);

    [Fact]
    public void Condition1HoldsWhenTheProjectExceedsTheHeadroom()
    {
        Assert.False(Check(1, Line(960), applied: 10).Holds); // headroom exactly used
        var holds = Check(1, Line(960), applied: 10.5m);
        Assert.True(holds.Holds);
        Assert.Contains("-0.5", holds.Evidence);
    }

    [Fact]
    public void Condition2HoldsWhenTheTargetIsMissedAndTheReductionIsBehindTheYear()
    {
        Assert.False(Check(2, Line(960)).Holds); // target met
        Assert.True(Check(2, Line(990)).Holds); // over target, 33 % of the reduction done by late November
        Assert.False(RefusalChecks.ForRegion(Line(971), 0, [], [], new DateOnly(2026, 1, 2)).Single(f => f.Condition == 2).Holds); // over, but the year has just begun
    }

    [Fact]
    public void Condition3HoldsWhileARestrictionIsInForce()
    {
        var (restriction, ok) = RegionRestriction.Impose(7, "青环限批〔2026〕1号", "未完成减排目标", new DateOnly(2026, 3, 1));
        Assert.True(ok.Succeeded);
        Assert.True(Check(3, Line(960), restrictions: [restriction!]).Holds);
        Assert.False(Check(3, Line(960), restrictions: [RegionRestriction.Impose(8, "其他县", "x", new DateOnly(2026, 3, 1)).Restriction!]).Holds);

        Assert.Equal("LiftDocument", restriction!.Lift(Today, " ", Today).Field);
        Assert.True(restriction.Lift(new DateOnly(2026, 10, 1), "青环限批〔2026〕5号", Today).Succeeded);
        Assert.False(Check(3, Line(960), restrictions: [restriction]).Holds);
        Assert.False(restriction.Lift(Today, "again", Today).Succeeded);
    }

    [Fact]
    public void Condition4HoldsForAnOverdueUnconfirmedClosure()
    {
        var closure = new ReductionMeasure(7, null, "cod", 2026, MeasureType.Structural, "关停造纸线", 20, new DateOnly(2026, 6, 30));
        var works = new ReductionMeasure(7, null, "cod", 2026, MeasureType.Engineering, "提标改造", 20, new DateOnly(2026, 6, 30));
        var notYetDue = new ReductionMeasure(7, null, "cod", 2026, MeasureType.Structural, "拆锅炉", 20, new DateOnly(2026, 12, 31));

        Assert.True(Check(4, Line(960), measures: [closure]).Holds);
        Assert.False(Check(4, Line(960), measures: [works, notYetDue]).Holds);
        closure.Confirm(new DateOnly(2026, 7, 10), "验收单", Today);
        Assert.False(Check(4, Line(960), measures: [closure]).Holds); // done, if late
    }

    [Fact]
    public void Condition5HoldsWhileTheInvestorIsListed()
    {
        var (listing, ok) = InvestorListing.List(7, "青川某化工有限公司", ListingKind.ListedSupervision, "青环督〔2026〕3号", "超标排放", new DateOnly(2026, 5, 1));
        Assert.True(ok.Succeeded);

        Assert.True(RefusalChecks.ForInvestor("青川某化工有限公司", [listing!], Today).Holds);
        Assert.False(RefusalChecks.ForInvestor("另一家公司", [listing!], Today).Holds);
        Assert.True(listing!.Remove(new DateOnly(2026, 11, 1), Today).Succeeded);
        Assert.False(RefusalChecks.ForInvestor("青川某化工有限公司", [listing], Today).Holds);
    }
}

public class RefusalConditionsFourAndSixTests
{
    private static readonly DateOnly Today = new(2026, 11, 27);

    [Fact]
    public void Condition4HoldsWhenAClosedSourceEmitsAgain()
    {
        var line = new LedgerLine(7, "cod", 2026, 1000, 970, 960, 0, 0, 0, 0, 0, new Dictionary<MeasureType, decimal>());

        var clean = RefusalChecks.ForRegion(line, 0, [], [], Today).Single(f => f.Condition == 4);
        var rebound = RefusalChecks.ForRegion(line, 0, [], [], Today, ["关停的造纸线 2026-10-03 起又有排放（12 天，0.4 吨）"]).Single(f => f.Condition == 4);

        Assert.False(clean.Holds);
        Assert.True(rebound.Holds);
        Assert.Contains("又有排放", rebound.Evidence);
    }

    [Fact]
    public void Condition6HoldsWhenAnExistingFacilityExceedsItsQuota()
    {
        Assert.False(RefusalChecks.ForFacilities([new FacilityEmission("甲厂", "cod", 50, 48.2m), new FacilityEmission("乙厂", "so2", 10, null)]).Holds);
        var over = RefusalChecks.ForFacilities([new FacilityEmission("甲厂", "cod", 50, 51.5m)]);
        Assert.True(over.Holds);
        Assert.Contains("超过总量指标 50", over.Evidence);
        Assert.False(RefusalChecks.ForFacilities([]).Holds);
    }

    [Fact]
    public void ConditionSixHoldsForAFacilityOutsideTheViewersScopeWithoutNamingIt()
    {
        // Issue: "Condition 6's evidence tells a county user about another county's enterprise it may not see."
        var finding = RefusalChecks.ForFacilities([new FacilityEmission("外县丙厂", "cod", 50, 61.25m, InScope: false), new FacilityEmission("本县甲厂", "so2", 10, 12m)]);
        Assert.True(finding.Holds);
        Assert.DoesNotContain("丙厂", finding.Evidence);
        Assert.DoesNotContain("61.25", finding.Evidence);
        Assert.Contains("本县甲厂", finding.Evidence);
        Assert.Contains("本辖区以外的现有设施 1 项超过总量指标", finding.Evidence);
    }
}
