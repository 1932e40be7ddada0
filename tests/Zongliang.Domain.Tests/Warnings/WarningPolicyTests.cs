using Xunit;
using Zongliang.Domain.Monitoring;
using Zongliang.Domain.Monitoring.Validity;
using Zongliang.Domain.Warnings;

namespace Zongliang.Domain.Tests.Warnings;

/// <summary>
/// The warning policy as a function of an outlet's hours, the existing warnings, the rules and the time
/// (issue 16, point 14: "Warning policy (when a case opens, when an episode closes, the texts) moves into
/// Domain … tested there"), with the shipped rules.
/// </summary>
public class WarningPolicyTests
{
    private static readonly WarningRules Rules = WarningRules.Load();
    private static readonly DateTime Now = new(2026, 11, 26, 6, 30, 0, DateTimeKind.Utc);
    private const string So2 = "a21026";

    private static readonly OutletSubject Outlet = new(7, 70, 700, "示范热电厂", "DA001", Hourly: true,
        new Dictionary<string, double> { [So2] = 100 }, "a00000", new Dictionary<string, (string, string)> { [So2] = ("二氧化硫", "mg/m³") });

    /// <summary>Valid hourly means of SO2, the last one in the last complete hour.</summary>
    private static OutletData Hours(params double[] values)
    {
        var first = Now.AddMinutes(-30).AddHours(-values.Length);
        return new OutletData(values.Select((v, i) => new HourAggregate
        {
            OutletId = 700, FactorCode = So2, HourUtc = first.AddHours(i), Mean = v, Status = PeriodStatus.Valid, Received = 60, Expected = 60, ValidCount = 60,
        }).ToList(), [], [], []);
    }

    private static (WarningChanges Changes, List<Warning> Existing) Evaluate(OutletData data, List<Warning>? existing = null)
    {
        existing ??= [];
        var changes = new WarningChanges(Outlet.RegionId, Outlet.EnterpriseId, Outlet.OutletId, Now);
        WarningPolicy.EvaluateOutlet(Outlet, data, existing, Rules, changes);
        return (changes, existing);
    }

    [Fact]
    public void AnExceedanceThatHasEndedStillOpensACaseForInspection()
    {
        // M3: "Any exceedance found (manual or automatic) is passed at once to the inspection section, which
        // handles it by law"; source document 1: "對監測工作中存在排污超標行為的及時與監察、監管等相關科室交換信息,
        // 對違法行為嚴肅查處". Rules: "超标（橙色）及以上自动转交监察部门（部门联动）".
        var (changes, _) = Evaluate(Hours(40, 120, 95, 110, 50, 40));

        var w = Assert.Single(changes.Added);
        Assert.Equal((WarningKind.Exceedance, WarningLevel.Orange, false), (w.Kind, w.PeakLevel, w.IsOpen));
        Assert.Equal("数据已恢复正常", w.ClosedReason);
        Assert.Equal("示范热电厂 DA001 二氧化硫小时均值2个小时超标，最高 120 mg/m³（限值 100）", w.Message);
        Assert.Contains(w, WarningPolicy.CasesToOpen(changes, Rules));
        // Ended: nobody is alerted to act on it any more; the case carries it.
        Assert.Empty(WarningPolicy.ToAnnounce(changes));
    }

    [Fact]
    public void APreWarningIsRaisedAtEightyPercentButOpensNoCase()
    {
        // Rules: "达到排放限值的80%即预警"; only orange and above are handed to inspection.
        var (changes, _) = Evaluate(Hours(40, 85, 90));

        var w = Assert.Single(changes.Added);
        Assert.Equal((WarningLevel.Yellow, true), (w.Level, w.IsOpen));
        Assert.Equal("示范热电厂 DA001 二氧化硫小时均值达到限值的80%，最高 90 mg/m³（限值 100）", w.Message);
        Assert.Empty(WarningPolicy.CasesToOpen(changes, Rules));
        Assert.Empty(WarningPolicy.ToAnnounce(changes));
    }

    [Fact]
    public void ThreeHoursOverInARowIsRedAndAnnouncedWhileItLasts()
    {
        // Rules: "连续3个时段（小时或日）超标为连续超标" (red).
        var (changes, _) = Evaluate(Hours(40, 120, 130, 110));

        var w = Assert.Single(changes.Added);
        Assert.Equal((WarningLevel.Red, true), (w.Level, w.IsOpen));
        Assert.Equal("红色超标预警", WarningPolicy.AnnouncementTitle(w));
        Assert.Contains(w, WarningPolicy.ToAnnounce(changes));
        Assert.Contains(w, WarningPolicy.CasesToOpen(changes, Rules));
    }

    [Fact]
    public void TheSameEpisodeEvaluatedAgainUpdatesItsWarningAndIsNotAnnouncedTwice()
    {
        var data = Hours(40, 120, 130, 110);
        var (_, existing) = Evaluate(data);
        var (again, after) = Evaluate(data, existing);

        Assert.Empty(again.Added);
        Assert.Single(after);
        Assert.Empty(WarningPolicy.ToAnnounce(again));
    }

    [Fact]
    public void AnEpisodeThatAReviewRemovedFromTheDataCloses()
    {
        // An auditor judged the exceeding hours invalid: the hours are there, no longer valid.
        var (_, existing) = Evaluate(Hours(40, 120, 130, 110));
        var reviewed = Hours(40, 120, 130, 110);
        foreach (var h in reviewed.Hours.Where(h => h.Mean > 100)) h.Status = PeriodStatus.Invalid;

        var (changes, _) = Evaluate(reviewed, existing);

        var w = Assert.Single(existing);
        Assert.False(w.IsOpen);
        Assert.Equal("复核后不再超标", w.ClosedReason);
        Assert.Empty(changes.Added);
    }

    [Fact]
    public void TheWindowReachesBackToTheStartOfAnOpenEpisode()
    {
        // An episode open for five days is judged whole, not from the 72 hours' look-back on.
        var start = Now.AddDays(-5);
        var open = Warning.Raise(WarningKind.Exceedance, WarningLevel.Red, 7, 70, 700, So2, "", start, Now.AddHours(-1), 130, 100, 0, "", "", start);

        var (hourFrom, _) = WarningPolicy.OutletWindow([open], Rules, Now);

        Assert.Equal(start, hourFrom);
        Assert.Equal(Now.AddMinutes(-30).AddHours(-Rules.Exceedance.LookbackHours.Value), WarningPolicy.OutletWindow([], Rules, Now).HourFrom);
    }

    [Fact]
    public void AnAnnualTotalWarnsFromEightyPercentAndClosesBelowIt()
    {
        // Rules: "年度累计排放量达核定/许可量的80%（黄色）", "达90%（橙色）", "达100%（红色）".
        var start = new DateTime(2025, 12, 31, 16, 0, 0, DateTimeKind.Utc);
        var existing = new List<Warning>();
        var changes = new WarningChanges(7, 70, null, Now);
        var message = WarningPolicy.EnterpriseAnnualMessage("示范热电厂", 2026, "so2", 92, 100m, "核定");
        WarningPolicy.AnnualTotal(changes, existing, "so2", start, 92, 100, message, Rules);

        var w = Assert.Single(changes.Added);
        Assert.Equal(WarningLevel.Orange, w.Level);
        Assert.Equal("示范热电厂 2026年二氧化硫累计排放 92 t，为核定总量 100 t 的 92%", w.Message);

        WarningPolicy.AnnualTotal(new WarningChanges(7, 70, null, Now.AddDays(1)), existing, "so2", start, 79, 100, message, Rules);
        Assert.Equal("累计排放量低于预警比例", w.ClosedReason);
    }
}
