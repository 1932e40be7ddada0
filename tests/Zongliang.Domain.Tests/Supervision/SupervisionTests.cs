using Xunit;
using Zongliang.Domain.Common;
using Zongliang.Domain.Supervision;

namespace Zongliang.Domain.Tests.Supervision;

public class SupervisionTests
{
    private static readonly DateTime Now = new(2026, 11, 27, 2, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void ThePlanHasEveryKeySourceOnceAQuarterAndAddsOnlyWhatIsMissing()
    {
        var sources = new[] { (1, 10), (2, 10), (3, 11) };
        var plan = SupervisoryPlan.Generate(2027, sources, new HashSet<(int, int)>(), "王强", "市监测站", Now);
        Assert.Equal(12, plan.Count);
        Assert.All(sources, s => Assert.Equal([1, 2, 3, 4], plan.Where(t => t.EnterpriseId == s.Item1).Select(t => t.Quarter).Order()));
        Assert.Equal([new DateOnly(2027, 3, 31), new DateOnly(2027, 6, 30), new DateOnly(2027, 9, 30), new DateOnly(2027, 12, 31)],
            plan.Where(t => t.EnterpriseId == 1).OrderBy(t => t.Quarter).Select(t => t.Due));

        var existing = plan.Where(t => t.EnterpriseId != 3).Select(t => (t.EnterpriseId, t.Quarter)).ToHashSet();
        var again = SupervisoryPlan.Generate(2027, sources.Append((4, 11)), existing, "王强", "市监测站", Now);
        Assert.Equal(8, again.Count); // enterprise 3 (not kept) and the new key source 4
        Assert.DoesNotContain(again, t => t.EnterpriseId is 1 or 2);
    }

    [Theory]
    [InlineData(2026, 1, 1, 1)]
    [InlineData(2026, 3, 31, 1)]
    [InlineData(2026, 4, 1, 2)]
    [InlineData(2026, 12, 31, 4)]
    public void QuartersOfDates(int y, int m, int d, int quarter) => Assert.Equal(quarter, SupervisoryTask.QuarterOf(new DateOnly(y, m, d)));

    [Fact]
    public void AnEditNeedsAReasonStaysInTheYearAndIsRecorded()
    {
        var task = SupervisoryTask.Planned(2026, 4, 1, 10, "王强", "市监测站", Now);
        Assert.Equal("Reason", task.Edit("刘洋", task.Due, "", "站长", Now).Field);
        Assert.Equal("Due", task.Edit("王强", new DateOnly(2027, 1, 15), "顺延", "站长", Now).Field);
        Assert.False(task.Edit("王强", task.Due, "无变化", "站长", Now).Succeeded);
        Assert.True(task.Edit("刘洋", new DateOnly(2026, 12, 20), "人员调整", "站长", Now).Succeeded);
        Assert.Equal([("负责人", "王强", "刘洋"), ("完成期限", "2026-12-31", "2026-12-20")], task.Edits.Select(e => (e.Field, e.Before, e.After)));
        // Overdue is by Beijing date: the 21st in Beijing while it is still the 20th in UTC.
        Assert.False(task.IsOverdue(BeijingTime.Date(new DateTime(2026, 12, 20, 15, 59, 0, DateTimeKind.Utc))));
        Assert.True(task.IsOverdue(BeijingTime.Date(new DateTime(2026, 12, 20, 16, 0, 0, DateTimeKind.Utc))));
    }

    [Fact]
    public void ASampleIsJudgedAgainstTheLimitAndTheOnlineValueAndCompletesTheTask()
    {
        var task = SupervisoryTask.Planned(2026, 4, 1, 10, "王强", "市监测站", Now);
        SampleValue[] values = [new("w01018", 120, 100, 60, 30), new("w21003", 5, 15, 5.5, 30), new("w00000", 40, null, null, 30)];
        Assert.Equal("SampledAt", SupervisorySample.Enter(task, 7, Now.AddHours(1), "HJ 828-2017", "JC-2026-118", values, "王强", Now).Outcome.Field);
        Assert.Equal("ReportNumber", SupervisorySample.Enter(task, 7, Now.AddHours(-3), "HJ 828-2017", "", values, "王强", Now).Outcome.Field);
        Assert.Equal("Values", SupervisorySample.Enter(task, 7, Now.AddHours(-3), "HJ 828-2017", "JC-2026-118", [], "王强", Now).Outcome.Field);
        // Out of the plausible ranges (rules/plausible-ranges.json): a date before 2000, a value of 1e20 (by its factor).
        Assert.Equal("SampledAt", SupervisorySample.Enter(task, 7, DateTime.MinValue, "HJ 828-2017", "JC-2026-118", values, "王强", Now).Outcome.Field);
        Assert.Equal("w21003", SupervisorySample.Enter(task, 7, Now.AddHours(-3), "HJ 828-2017", "JC-2026-118",
            [values[0], new("w21003", 1e20, 15, null, 30)], "王强", Now).Outcome.Field);
        Assert.Null(task.DoneAtUtc);

        var (sample, outcome) = SupervisorySample.Enter(task, 7, Now.AddHours(-3), "HJ 828-2017", "JC-2026-118", values, "王强", Now);
        Assert.True(outcome.Succeeded);
        Assert.True(sample!.Exceeded);
        var cod = sample.Values[0];
        Assert.Equal((true, 50.0, true), (cod.Exceeded, cod.DifferencePercent!.Value, cod.Suspicious)); // 120 by hand, 60 online
        var nh3 = sample.Values[1];
        Assert.Equal((false, false), (nh3.Exceeded, nh3.Suspicious)); // 5 vs 5.5: 9.1 %
        Assert.Null(sample.Values[2].DifferencePercent);
        Assert.Equal(Now, task.DoneAtUtc);
        Assert.False(task.Edit("刘洋", task.Due, "人员调整", "站长", Now).Succeeded); // done: no more edits
    }

    [Fact]
    public void ATreatmentEntryWaitsForItsDeadlineThenTheMonitoringDecidesIt()
    {
        var (list, ok) = TreatmentList.Issue("青环限治〔2026〕3号", "化学需氧量超标企业限期治理名单", new DateOnly(2026, 6, 1), "市总量办", Now);
        Assert.True(ok.Succeeded);
        Assert.Equal("Deadline", TreatmentEntry.Add(list!, 1, 10, "COD 超标", new DateOnly(2026, 5, 1), "建设深度处理设施", "").Outcome.Field);
        var (entry, added) = TreatmentEntry.Add(list!, 1, 10, "COD 超标", new DateOnly(2026, 12, 31), "建设深度处理设施，稳定达标排放", "污水深度处理工程");
        Assert.True(added.Succeeded);

        // The deadline is a Beijing date: on Dec 31st at 00:30 Beijing (Dec 30th UTC) the monitoring is due; the evening before it is not.
        Assert.False(entry!.MonitoringDue(BeijingTime.Date(new DateTime(2026, 12, 30, 15, 59, 0, DateTimeKind.Utc))));
        Assert.True(entry.MonitoringDue(BeijingTime.Date(new DateTime(2026, 12, 30, 16, 30, 0, DateTimeKind.Utc))));
        Assert.Equal(-1, entry.DaysLeft(new DateOnly(2027, 1, 1)));
        Assert.False(entry.Conclude(false, "", Now).Succeeded); // not awaiting monitoring yet
        entry.MonitoringCreated(99);
        Assert.False(entry.MonitoringDue(new DateOnly(2027, 1, 2))); // created once
        Assert.True(entry.Conclude(true, "COD 135 mg/L，超过限值 100", Now).Succeeded);
        Assert.Equal(TreatmentState.Failed, entry.State);
        Assert.False(entry.Conclude(false, "", Now).Succeeded);
        Assert.False(TreatmentProgress.Report(entry, 100, "工程已完工", "", "县局", Now).Outcome.Succeeded); // concluded: no more reports
    }

    [Fact]
    public void AQuartersReportIsRegisteredAfterTheQuarterAndJudgedOnTimeByTheBeijingDate()
    {
        // Q4 2026 ends on Dec 31st; the report is due ten days later, on Jan 10th 2027.
        Assert.Equal(new DateOnly(2027, 1, 10), SupervisoryReport.DueOf(2026, 4, 10));
        Assert.False(SupervisoryReport.Register(2026, 4, 10, 12, "站", new DateTime(2026, 12, 31, 15, 59, 0, DateTimeKind.Utc)).Outcome.Succeeded); // 23:59 Dec 31st
        Assert.False(SupervisoryReport.Register(2026, 4, 10, 0, "站", new DateTime(2027, 1, 5, 0, 0, 0, DateTimeKind.Utc)).Outcome.Succeeded); // nothing to report
        var (onTime, _) = SupervisoryReport.Register(2026, 4, 10, 12, "站", new DateTime(2027, 1, 10, 15, 59, 0, DateTimeKind.Utc)); // 23:59 Jan 10th
        Assert.True(onTime!.OnTime);
        var (late, _) = SupervisoryReport.Register(2026, 4, 10, 12, "站", new DateTime(2027, 1, 10, 16, 0, 0, DateTimeKind.Utc)); // 00:00 Jan 11th
        Assert.False(late!.OnTime);
    }

    [Fact]
    public void ProgressAndSpotChecksAreValidated()
    {
        var (list, _) = TreatmentList.Issue("青环限治〔2026〕4号", "燃煤锅炉二氧化硫超标限期治理名单", new DateOnly(2026, 6, 1), "市总量办", Now);
        var (entry, _) = TreatmentEntry.Add(list!, 1, 10, "燃煤锅炉 SO2 超标", new DateOnly(2027, 3, 31), "建设脱硫设施", "");
        Assert.Equal("Percent", TreatmentProgress.Report(entry!, 120, "脱硫塔已安装", "", "企业", Now).Outcome.Field);
        Assert.True(TreatmentProgress.Report(entry!, 60, "脱硫塔已安装，待调试", "除尘器正常运行", "企业", Now).Outcome.Succeeded);
        Assert.Equal("CheckedOn", TreatmentCheck.Record(entry!, new DateOnly(2026, 12, 1), "赵刚、王强", "脱硫塔已建成", "监察", Now).Outcome.Field);
        Assert.True(TreatmentCheck.Record(entry!, new DateOnly(2026, 11, 26), "赵刚、王强", "脱硫塔已建成，循环泵待调试", "监察", Now).Outcome.Succeeded);
    }
}
