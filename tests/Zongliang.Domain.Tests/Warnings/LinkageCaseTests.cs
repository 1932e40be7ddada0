using Xunit;
using Zongliang.Domain.Warnings;

namespace Zongliang.Domain.Tests.Warnings;

public class LinkageCaseTests
{
    // 2026-12-31 23:30 Beijing: the Beijing date is the 31st while the UTC date is too; at 16:30 UTC it is already Jan 1st in Beijing.
    private static readonly DateTime Now = new(2026, 12, 31, 15, 30, 0, DateTimeKind.Utc);

    private static LinkageCase Opened()
    {
        var (c, outcome) = LinkageCase.Open(3, 7, 11, 42, CaseSource.Exceedance, "二氧化硫小时均值连续3小时超标", "system", Now);
        Assert.True(outcome.Succeeded, outcome.Error);
        return c!;
    }

    [Fact]
    public void ACaseGoesFromOpenedToClosedStepByStepWithItsHistory()
    {
        var c = Opened();
        Assert.True(c.Assign("inspect", new DateOnly(2027, 1, 7), "科长", Now).Succeeded);
        Assert.True(c.RecordCheck("脱硫塔循环泵停运，现场责令恢复", "inspect", Now.AddDays(1)).Succeeded);
        Assert.True(c.Handle(CaseOutcome.Violation, "责令改正，罚款5万元", "inspect", Now.AddDays(2)).Succeeded);
        Assert.True(c.Close("复核数据已恢复达标", "station", Now.AddDays(3)).Succeeded);

        Assert.Equal(CaseState.Closed, c.State);
        Assert.Equal(["立案", "指派", "现场核查", "处理", "确认办结"], c.Steps.Select(s => s.Action));
        Assert.Equal(CaseOutcome.Violation, c.Result);
    }

    [Fact]
    public void IllegalMovesAreRefusedAndChangeNothing()
    {
        var c = Opened();
        Assert.False(c.RecordCheck("现场核查情况", "inspect", Now).Succeeded); // not assigned
        Assert.False(c.Handle(CaseOutcome.NoViolation, "", "inspect", Now).Succeeded);
        Assert.False(c.Close("确认", "station", Now).Succeeded);
        Assert.False(c.Reopen("数据仍超标", "station", Now).Succeeded);
        Assert.Equal(CaseState.Opened, c.State);
        Assert.Single(c.Steps);

        Assert.Equal("Inspector", c.Assign(" ", new DateOnly(2027, 1, 7), "科长", Now).Field);
        Assert.Equal("Deadline", c.Assign("inspect", new DateOnly(2026, 12, 30), "科长", Now).Field); // yesterday in Beijing
        Assert.True(c.Assign("inspect", new DateOnly(2026, 12, 31), "科长", Now).Succeeded); // today in Beijing
        Assert.True(c.RecordCheck("现场核查情况属实", "inspect", Now).Succeeded);
        Assert.False(c.Assign("other", new DateOnly(2027, 1, 7), "科长", Now).Succeeded); // checked: no reassignment
        Assert.Equal("Measure", c.Handle(CaseOutcome.Violation, "", "inspect", Now).Field); // a violation needs its measure
        Assert.Equal("Outcome", c.Handle(CaseOutcome.None, "", "inspect", Now).Field);
        Assert.Equal(CaseState.Checked, c.State);
    }

    [Fact]
    public void AReopenedCaseGoesBackToTheSectionWithoutItsConclusion()
    {
        var c = Opened();
        c.Assign("inspect", new DateOnly(2027, 1, 7), "科长", Now);
        c.RecordCheck("设备故障导致数据异常", "inspect", Now);
        c.Handle(CaseOutcome.DeviceFault, "", "inspect", Now);
        c.Close("同意", "station", Now);

        Assert.Equal("Reason", c.Reopen("", "station", Now).Field);
        Assert.True(c.Reopen("复核后仍超标，请重新核查", "station", Now).Succeeded);
        Assert.Equal((CaseState.Opened, CaseOutcome.None, (DateOnly?)null, 1), (c.State, c.Result, c.Deadline, c.Reopened));
        Assert.Equal(CaseState.Closed, c.Steps[^1].From);
    }

    [Fact]
    public void OverdueIsCountedInBeijingDaysAndEscalatesOnce()
    {
        var c = Opened();
        c.Assign("inspect", new DateOnly(2026, 12, 31), "科长", Now);
        Assert.False(c.IsOverdue(Now)); // 23:30 on the deadline day
        Assert.False(c.Escalate(Now));
        var afterMidnight = Now.AddHours(1); // 00:30 Beijing, Jan 1st; still Dec 31st in UTC
        Assert.True(c.IsOverdue(afterMidnight));
        Assert.True(c.Escalate(afterMidnight));
        Assert.False(c.Escalate(afterMidnight.AddHours(5)));
        Assert.True(c.Escalated);

        c.RecordCheck("现场核查完毕", "inspect", afterMidnight);
        c.Handle(CaseOutcome.NoViolation, "", "inspect", afterMidnight);
        Assert.False(c.IsOverdue(afterMidnight.AddDays(3))); // handled: no longer overdue
    }
}
