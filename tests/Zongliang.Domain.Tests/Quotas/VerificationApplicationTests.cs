using Xunit;
using Zongliang.Domain.Quotas;

namespace Zongliang.Domain.Tests.Quotas;

public class VerificationApplicationTests
{
    private static readonly DateTime Now = new(2026, 11, 27, 2, 0, 0, DateTimeKind.Utc);
    private static readonly RefusalFinding[] Clear = [new(1, "x", false, "")];

    private static VerificationApplication Submit(Route route, decimal cod = 12, decimal so2 = 0)
    {
        var (application, outcome) = VerificationApplication.Submit(7, "青川某食品加工项目", "青川某食品有限公司", EiaKind.Form, ApprovalLevel.City,
            new Dictionary<string, decimal> { ["cod"] = cod, ["so2"] = so2 }, "区域剩余容量与关停造纸线削减量", route, "临川县 吴婷", Now);
        Assert.True(outcome.Succeeded, outcome.Error);
        return application!;
    }

    private static readonly Route CountyCity = new(["county", "city"], "city", false, "§二（二）1");

    [Fact]
    public void EachOfficeOnThePathReviewsInTurnAndTheLastApprovesForNumbering()
    {
        var a = Submit(CountyCity);
        Assert.Equal("county", a.CurrentOffice);
        Assert.Equal(["cod"], a.Amounts.Select(x => x.Pollutant)); // zero amounts are not recorded

        Assert.False(a.Review("city", ReviewDecision.Agree, "同意", "市总量办", Now, Clear).Succeeded); // not its turn
        Assert.Equal("Opinion", a.Review("county", ReviewDecision.Agree, " ", "县局", Now, Clear).Field);
        Assert.True(a.Review("county", ReviewDecision.Agree, "初步核定同意", "县局 吴婷", Now, Clear).Succeeded);
        Assert.Equal("city", a.CurrentOffice);
        Assert.False(a.Issue(1, 2026, 1, Now).Succeeded); // not approved yet
        Assert.True(a.Review("city", ReviewDecision.Agree, "认定同意", "市总量办 李华", Now, Clear).Succeeded);

        Assert.Equal(ApplicationState.Approved, a.State);
        Assert.True(a.Issue(2, 2026, 12, Now).Succeeded);
        Assert.Equal("青环总量核〔2026〕12号", a.DocumentText("青环总量核"));
        Assert.Equal([ReviewDecision.Agree, ReviewDecision.Agree], a.Steps.Select(s => s.Decision));
        Assert.False(a.Issue(2, 2026, 13, Now).Succeeded); // once
    }

    [Fact]
    public void NobodyAgreesWhileARefusalConditionHolds()
    {
        var a = Submit(CountyCity);
        RefusalFinding[] blocked = [new(3, "区域处于区域限批期间", true, "青环限批〔2026〕1号")];

        var outcome = a.Review("county", ReviewDecision.Agree, "同意", "县局", Now, blocked);

        Assert.False(outcome.Succeeded);
        Assert.Contains("第3条", outcome.Error);
        Assert.Equal((ApplicationState.UnderReview, 0), (a.State, a.Steps.Count));
        Assert.True(a.Review("county", ReviewDecision.Refuse, "区域限批期间，不予核定", "县局", Now, blocked).Succeeded);
        Assert.Equal(ApplicationState.Refused, a.State);
        Assert.False(a.Review("county", ReviewDecision.Agree, "同意", "县局", Now, Clear).Succeeded); // ended
    }

    [Fact]
    public void AReturnedApplicationIsCorrectedAndStartsAgainAtTheFirstOffice()
    {
        var a = Submit(CountyCity);
        a.Review("county", ReviewDecision.Agree, "同意", "县局", Now, Clear);
        Assert.True(a.Review("city", ReviewDecision.Return, "削减量来源不实，请补正", "市总量办", Now, Clear).Succeeded);
        Assert.Equal(ApplicationState.Returned, a.State);
        Assert.False(a.Resubmit(new Dictionary<string, decimal> { ["cod"] = 0 }, null, Now).Succeeded);

        Assert.True(a.Resubmit(new Dictionary<string, decimal> { ["cod"] = 9, ["so2"] = 3 }, "关停造纸线削减量 12 吨", Now).Succeeded);

        Assert.Equal(("county", 9m, 3m), (a.CurrentOffice, a.TonnesOf("cod"), a.TonnesOf("so2")));
        Assert.Equal("关停造纸线削减量 12 吨", a.QuotaSource);
    }

    [Fact]
    public void AnApplicationNeedsAProjectAnInvestorAnAmountAndASource()
    {
        var zero = new Dictionary<string, decimal> { ["cod"] = 0, ["so2"] = 0 };
        var some = new Dictionary<string, decimal> { ["cod"] = 1 };
        Assert.Equal("Project", VerificationApplication.Submit(7, "", "甲", EiaKind.Form, ApprovalLevel.City, some, "x", CountyCity, "u", Now).Outcome.Field);
        Assert.Equal("Investor", VerificationApplication.Submit(7, "p", " ", EiaKind.Form, ApprovalLevel.City, some, "x", CountyCity, "u", Now).Outcome.Field);
        Assert.False(VerificationApplication.Submit(7, "p", "甲", EiaKind.Form, ApprovalLevel.City, zero, "x", CountyCity, "u", Now).Outcome.Succeeded);
        Assert.Equal("cod", VerificationApplication.Submit(7, "p", "甲", EiaKind.Form, ApprovalLevel.City, new Dictionary<string, decimal> { ["cod"] = -1 }, "x", CountyCity, "u", Now).Outcome.Field);
        Assert.Equal("QuotaSource", VerificationApplication.Submit(7, "p", "甲", EiaKind.Form, ApprovalLevel.City, some, "", CountyCity, "u", Now).Outcome.Field);
    }

    [Fact]
    public void AcceptancePassesOnlyWhenTheAnnualisedActualStaysWithinTheVerifiedTotal()
    {
        var a = Submit(CountyCity, cod: 12, so2: 5);
        var today = new DateOnly(2026, 11, 27);
        Assert.False(AcceptanceCheck.Run(a, 1, today.AddDays(-30), today, new Dictionary<string, (decimal, int)>(), "验收组", Now, today).Outcome.Succeeded); // not issued
        a.Review("county", ReviewDecision.Agree, "同意", "县局", Now, Clear);
        a.Review("city", ReviewDecision.Agree, "同意", "市局", Now, Clear);
        a.Issue(2, 2026, 1, Now);

        // COD: 0.9 t over 30 valid days → 10.95 t/a ≤ 12; SO2: 0.5 t over 20 days → 9.125 t/a > 5.
        var (check, ok) = AcceptanceCheck.Run(a, 1, today.AddDays(-30), today,
            new Dictionary<string, (decimal, int)> { ["cod"] = (0.9m, 30), ["so2"] = (0.5m, 20) }, "验收组", Now, today);

        Assert.True(ok.Succeeded);
        Assert.Equal(10.95m, check!.Lines.Single(l => l.Pollutant == "cod").Actual);
        Assert.True(check.Lines.Single(l => l.Pollutant == "cod").Passed);
        Assert.False(check.Lines.Single(l => l.Pollutant == "so2").Passed);
        Assert.False(check.Passed);
        var noData = AcceptanceCheck.Run(a, 1, today.AddDays(-30), today, new Dictionary<string, (decimal, int)> { ["cod"] = (0.9m, 30) }, "验收组", Now, today).Check!;
        Assert.False(noData.Passed); // SO2 without valid data does not pass
        Assert.Equal("To", AcceptanceCheck.Run(a, 1, today, today.AddDays(1), new Dictionary<string, (decimal, int)>(), "验收组", Now, today).Outcome.Field);
    }

    [Fact]
    public void EachOfficeHasItsDaysFromWhenItReceivedTheApplication()
    {
        var a = Submit(CountyCity); // 2026-11-27 10:00 Beijing
        Assert.Equal(new DateOnly(2026, 12, 7), a.StepDeadline(10));
        Assert.False(a.IsOverdue(new DateOnly(2026, 12, 7), 10));
        Assert.True(a.IsOverdue(new DateOnly(2026, 12, 8), 10));

        a.Review("county", ReviewDecision.Agree, "同意", "县局", Now.AddDays(5), Clear);

        Assert.Equal(new DateOnly(2026, 12, 12), a.StepDeadline(10)); // the city's days start when it received it
        a.Review("city", ReviewDecision.Agree, "同意", "市局", Now.AddDays(6), Clear);
        Assert.Null(a.StepDeadline(10)); // approved: no office is reviewing
        Assert.Equal(10, QuotaRouting.Load().DaysPerStep);
    }
}
