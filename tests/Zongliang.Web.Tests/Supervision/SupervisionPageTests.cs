using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using Xunit;
using Zongliang.Data.Seeding;
using Zongliang.Domain.Common;
using Zongliang.Domain.Monitoring.Validity;
using Zongliang.Domain.Registry;
using Zongliang.Domain.Supervision;
using Zongliang.Domain.Warnings;
using Zongliang.Web.Features.Supervision;
using Zongliang.Web.Features.Warnings;
using Zongliang.Web.Tests.Infrastructure;

namespace Zongliang.Web.Tests.Supervision;

/// <summary>The annual plan, samples and their consequences, the upward report, and deadline treatment, over HTTP. Runs on SQLite and PostgreSQL.</summary>
public abstract class SupervisionPageTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : ZongliangFactory
{
    protected virtual void RequireDatabase() { }

    private static string Beijing(DateTime utc) => BeijingTime.FromUtc(utc).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    [Fact]
    public async Task TheStationGeneratesAYearsPlanOnceAndEveryEditIsTracked()
    {
        RequireDatabase();
        var next = BeijingTime.Today(TimeProvider.System).Year + 1;
        var keySources = await factory.QueryAsync(db => db.Enterprises.CountAsync(e => e.ControlLevel != ControlLevel.None));
        var county = await factory.SignedInAsync("beishan");
        Assert.Equal(HttpStatusCode.OK, (await county.GetAsync("/Supervision/Plan")).StatusCode); // counties read the plan
        var station = await factory.SignedInAsync("station");
        var token = await station.FormTokenAsync($"/Supervision/Plan?year={next}&quarter=1");
        var noName = await station.PostFormAsync($"/Supervision/Plan?handler=Generate&year={next}&quarter=1", token, [new("responsible", "")]);
        Assert.Contains("请填写缺省负责人", await noName.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await station.PostFormAsync($"/Supervision/Plan?handler=Generate&year={next}&quarter=1", token, [new("responsible", "市监测站 王强")])).StatusCode);
        Assert.Equal(4 * keySources, await factory.QueryAsync(db => db.SupervisoryTasks.CountAsync(t => t.Year == next)));
        await station.PostFormAsync($"/Supervision/Plan?handler=Generate&year={next}&quarter=1", token, [new("responsible", "市监测站 王强")]);
        Assert.Equal(4 * keySources, await factory.QueryAsync(db => db.SupervisoryTasks.CountAsync(t => t.Year == next))); // nothing twice

        var task = await factory.QueryAsync(db => db.SupervisoryTasks.Where(t => t.Year == next && t.Quarter == 2).OrderBy(t => t.Id).FirstAsync());
        var noReason = await station.PostFormAsync($"/Supervision/Task/{task.Id}?handler=Edit", token, [new("responsible", "市监测站 刘洋"), new("due", $"{next}-06-20"), new("reason", "")]);
        Assert.Contains("请写明修改原因", await noReason.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await station.PostFormAsync($"/Supervision/Task/{task.Id}?handler=Edit", token,
            [new("responsible", "市监测站 刘洋"), new("due", $"{next}-06-20"), new("reason", "人员调整")])).StatusCode);
        var edits = await factory.QueryAsync(db => db.SupervisoryTaskEdits.Where(e => e.TaskId == task.Id).OrderBy(e => e.Id).ToListAsync());
        Assert.Equal([("负责人", "市监测站 王强", "市监测站 刘洋"), ("完成期限", $"{next}-06-30", $"{next}-06-20")], edits.Select(e => (e.Field, e.Before, e.After)));
        // A county user reads the plan of its own county only; it does not generate it.
        var countyToken = await county.FormTokenAsync("/Warnings/Cases");
        var refused = await county.PostFormAsync($"/Supervision/Plan?handler=Generate&year={next + 1}&quarter=1", countyToken, [new("responsible", "县局")]);
        Assert.Contains("AccessDenied", refused.Headers.Location!.ToString());
    }

    [Fact]
    public async Task ASampleOverTheLimitOpensACaseADistantOneRaisesASuspicionAndTheUpwardReportHasOneRowPerValue()
    {
        RequireDatabase();
        await factory.AggregatedAsync();
        var now = DateTime.UtcNow;
        var quarter = SupervisoryTask.QuarterOf(BeijingTime.Date(now));
        // An open task of this quarter whose outlet has a valid online hour of a limited factor yesterday.
        var (task, outlet, factor, limit, hour, online) = await factory.QueryAsync(async db =>
        {
            var since = now.AddDays(-2);
            var thisYear = BeijingTime.Date(now).Year;
            var candidates = await (from t in db.SupervisoryTasks
                                    where t.Kind == SupervisoryKind.Quarterly && t.Quarter == quarter && t.Year == thisYear && t.DoneAtUtc == null
                                    join o in db.Outlets on t.EnterpriseId equals o.EnterpriseId
                                    from f in o.Factors
                                    where f.Limit > 0
                                    join h in db.HourAggregates on new { OutletId = o.Id, f.FactorCode } equals new { h.OutletId, h.FactorCode }
                                    where h.Status == PeriodStatus.Valid && h.HourUtc >= since && h.HourUtc < since.AddHours(12)
                                    select new { TaskId = t.Id, OutletId = o.Id, f.FactorCode, f.Limit, h.HourUtc, h.Mean, h.Corrected }).ToListAsync();
            var c = candidates.OrderBy(x => x.TaskId).ThenBy(x => x.HourUtc).First();
            return (c.TaskId, c.OutletId, c.FactorCode, (double)c.Limit!.Value, c.HourUtc, c.Corrected ?? c.Mean!.Value);
        });
        var station = await factory.SignedInAsync("station");
        var token = await station.FormTokenAsync($"/Supervision/Task/{task}?outlet={outlet}");
        var bad = await station.PostFormAsync($"/Supervision/Task/{task}?handler=Sample", token,
            [new("outletId", $"{outlet}"), new("sampledAt", Beijing(hour.AddMinutes(20))), new("method", "HJ 57-2017"), new("reportNumber", "QCJC-T-1"), new($"v_{factor}", "abc")]);
        Assert.Contains("请填写数字", await bad.Content.ReadAsStringAsync());
        var noReport = await station.PostFormAsync($"/Supervision/Task/{task}?handler=Sample", token,
            [new("outletId", $"{outlet}"), new("sampledAt", Beijing(hour.AddMinutes(20))), new("method", "HJ 57-2017"), new("reportNumber", ""), new($"v_{factor}", "1")]);
        Assert.Contains("请填写监测报告编号", await noReport.Content.ReadAsStringAsync());
        var value = Math.Round(limit * 1.6, 2);
        var entered = await station.PostFormAsync($"/Supervision/Task/{task}?handler=Sample", token,
            [new("outletId", $"{outlet}"), new("sampledAt", Beijing(hour.AddMinutes(20))), new("method", "HJ 57-2017"), new("reportNumber", "QCJC-T-2"),
             new($"v_{factor}", value.ToString(CultureInfo.InvariantCulture))]);
        Assert.Equal(HttpStatusCode.Redirect, entered.StatusCode);

        var c = await factory.QueryAsync(db => db.LinkageCases.SingleAsync(x => x.Source == CaseSource.SupervisoryMonitoring && x.Subject.Contains("QCJC-T-2")));
        Assert.Equal(outlet, c.OutletId);
        var v = await factory.QueryAsync(db => db.SampleValues.SingleAsync(x => x.FactorCode == factor && db.SupervisorySamples.Any(s => s.Id == x.SampleId && s.ReportNumber == "QCJC-T-2")));
        Assert.True(v.Exceeded);
        Assert.Equal(online, v.Online!.Value, 6);
        // 1.6 × the limit by hand against an online value under the limit: more than 30 % apart.
        Assert.True(v.Suspicious);
        Assert.True(await factory.QueryAsync(db => db.Warnings.AnyAsync(w => w.Kind == WarningKind.Suspicion && w.Rule == "manual-vs-online" && w.OutletId == outlet && w.Subject == factor)));
        Assert.Contains("已完成", await station.GetStringAsync($"/Supervision/Task/{task}"));

        var year = BeijingTime.Date(now).Year;
        var expected = await factory.QueryAsync(db => db.SampleValues.CountAsync(x => db.SupervisorySamples.Any(s => s.Id == x.SampleId
            && db.SupervisoryTasks.Any(t => t.Id == s.TaskId && t.Year == year && t.Quarter == quarter && t.Kind == SupervisoryKind.Quarterly))));
        var xlsx = await station.GetAsync($"/Supervision/Report?year={year}&quarter={quarter}&format=xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        using var buffer = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        var rows = buffer.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(expected, rows.Count);
        Assert.Equal(SupervisionReport.Columns, rows[0].Keys);
        var row = Assert.Single(rows, r => (string)r["报告编号"] == "QCJC-T-2");
        Assert.Equal((factor, "是"), ((string)row["因子代码"], (string)row["是否超标"]));
        var csv = await station.GetByteArrayAsync($"/Supervision/Report?year={year}&quarter={quarter}&format=csv");
        Assert.Equal(Encoding.UTF8.GetPreamble(), csv[..3]);
        var lines = Encoding.UTF8.GetString(csv[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length == 1
            ? Encoding.UTF8.GetString(csv[3..]).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            : Encoding.UTF8.GetString(csv[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected + 1, lines.Length);
        Assert.Equal(string.Join(',', SupervisionReport.Columns), lines[0].TrimEnd('\r'));
        // The quarter is still running: its report cannot be registered yet. The last quarter's can, once, with its rows.
        var early = await station.PostFormAsync($"/Supervision/Plan?handler=Reported&year={year}&quarter={quarter}", token, []);
        Assert.Contains("本季度尚未结束", await early.Content.ReadAsStringAsync());
        var (lastYear, lastQuarter) = quarter == 1 ? (year - 1, 4) : (year, quarter - 1);
        var lastRows = await factory.QueryAsync(async db => (await SupervisionReport.RowsAsync(db, lastYear, lastQuarter, CancellationToken.None)).Count);
        var reported = await station.PostFormAsync($"/Supervision/Plan?handler=Reported&year={lastYear}&quarter={lastQuarter}", token, []);
        if (lastRows > 0)
        {
            Assert.Equal(HttpStatusCode.Redirect, reported.StatusCode);
            var registered = await factory.QueryAsync(db => db.SupervisoryReports.SingleAsync(r => r.Year == lastYear && r.Quarter == lastQuarter));
            Assert.Equal(lastRows, registered.Rows);
            Assert.Contains("上报（", await station.GetStringAsync($"/Supervision/Plan?year={lastYear}&quarter={lastQuarter}"));
        }
        else
            Assert.Contains("本季度没有监测结果", await reported.Content.ReadAsStringAsync()); // in a first quarter: the demo has no last-year samples
        // Enterprises are not told when they will be sampled.
        var enterprise = await factory.SignedInAsync("qiye1");
        Assert.Equal(HttpStatusCode.Redirect, (await enterprise.GetAsync($"/Supervision/Report?year={year}&quarter={quarter}&format=csv")).StatusCode);
    }

    [Fact]
    public async Task OnItsDeadlineAnEntryGetsItsMonitoringOnceAndAPassingResultClosesIt()
    {
        RequireDatabase();
        await factory.AggregatedAsync();
        var warnings = factory.Services.GetRequiredService<WarningService>();
        await warnings.SweepAsync(CancellationToken.None);
        await warnings.SweepAsync(CancellationToken.None);
        var today = BeijingTime.Today(TimeProvider.System);
        var due = await factory.QueryAsync(db => db.TreatmentEntries.Where(e => e.Deadline < today).ToListAsync());
        var entry = Assert.Single(due);
        Assert.Equal(TreatmentState.AwaitingMonitoring, entry.State);
        var task = await factory.QueryAsync(db => db.SupervisoryTasks.SingleAsync(t => t.TreatmentEntryId == entry.Id));
        Assert.Equal((SupervisoryKind.PostDeadline, task.Id), (task.Kind, entry.MonitoringTaskId!.Value));
        Assert.Contains("限期治理到期监测任务", await (await factory.SignedInAsync("station")).GetStringAsync("/Inbox"));

        var outlet = await factory.QueryAsync(db => db.Outlets.Include(o => o.Factors).FirstAsync(o => o.EnterpriseId == entry.EnterpriseId && o.Factors.Any(f => f.FactorCode == "w01018")));
        var limit = (double)outlet.Factors.Single(f => f.FactorCode == "w01018").Limit!.Value;
        var station = await factory.SignedInAsync("station");
        var token = await station.FormTokenAsync($"/Supervision/Task/{task.Id}?outlet={outlet.Id}");
        var passed = await station.PostFormAsync($"/Supervision/Task/{task.Id}?handler=Sample", token,
            [new("outletId", $"{outlet.Id}"), new("sampledAt", Beijing(DateTime.UtcNow.AddHours(-1))), new("method", "HJ 828-2017"), new("reportNumber", "QCJC-DQ-1"),
             new("v_w01018", (limit * 0.5).ToString(CultureInfo.InvariantCulture))]);
        Assert.Equal(HttpStatusCode.Redirect, passed.StatusCode);
        var concluded = await factory.QueryAsync(db => db.TreatmentEntries.SingleAsync(e => e.Id == entry.Id));
        Assert.Equal(TreatmentState.Passed, concluded.State);
        Assert.Contains("QCJC-DQ-1", concluded.Conclusion);
        Assert.Null(concluded.CaseId);
    }

    [Fact]
    public async Task ACountyAndAnEnterpriseSeeOnlyTheirOwnEntriesAndTheEnterpriseReportsProgress()
    {
        RequireDatabase();
        var entry = await factory.QueryAsync(db => (from e in db.TreatmentEntries join r in db.Regions on e.RegionId equals r.Id
                                                    orderby e.Id descending select new { e.Id, e.EnterpriseId, r.Code, e.Problem }).FirstAsync());
        var own = DemoCity.Counties.Single(c => c.Code == entry.Code).Login;
        var other = DemoCity.Counties.First(c => c.Code != entry.Code).Login;
        Assert.Equal(HttpStatusCode.OK, (await (await factory.SignedInAsync(own)).GetAsync($"/Treatment/Entry/{entry.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await factory.SignedInAsync(other)).GetAsync($"/Treatment/Entry/{entry.Id}")).StatusCode);

        // The entry's enterprise gets a user for the test, and reports its progress; a bad percent is refused next to the field.
        await factory.QueryAsync(async db =>
        {
            var users = factory.Services.CreateScope().ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Zongliang.Data.Identity.AppUser>>();
            var user = new Zongliang.Data.Identity.AppUser { UserName = $"treat{entry.Id}", DisplayName = "治理企业", EnterpriseId = entry.EnterpriseId };
            Assert.True((await users.CreateAsync(user, DemoCity.DemoPassword)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, Zongliang.Domain.Access.Roles.Enterprise)).Succeeded);
            return 0;
        });
        var enterprise = await factory.SignedInAsync($"treat{entry.Id}");
        Assert.Contains(entry.Problem, await enterprise.GetStringAsync("/Treatment"));
        var others = await factory.QueryAsync(db => db.TreatmentEntries.Where(e => e.EnterpriseId != entry.EnterpriseId).Select(e => e.Id).ToListAsync());
        foreach (var id in others)
            Assert.Equal(HttpStatusCode.NotFound, (await enterprise.GetAsync($"/Treatment/Entry/{id}")).StatusCode);
        var token = await enterprise.FormTokenAsync($"/Treatment/Entry/{entry.Id}");
        var bad = await enterprise.PostFormAsync($"/Treatment/Entry/{entry.Id}?handler=Report", token, [new("percent", "150"), new("works", "设备安装完成"), new("facility", "")]);
        Assert.Contains("工程进度为0~100的整数", await bad.Content.ReadAsStringAsync());
        var ok = await enterprise.PostFormAsync($"/Treatment/Entry/{entry.Id}?handler=Report", token, [new("percent", "85"), new("works", "脱硫塔安装完成，进入调试"), new("facility", "正常")]);
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.True(await factory.QueryAsync(db => db.TreatmentReports.AnyAsync(p => p.EntryId == entry.Id && p.Percent == 85)));
        // An enterprise neither records spot checks nor sees the bureaus' monitoring plan.
        var check = await enterprise.PostFormAsync($"/Treatment/Entry/{entry.Id}?handler=Check", token, [new("checkedOn", "2026-01-01"), new("participants", "自查"), new("findings", "一切正常")]);
        Assert.Contains("AccessDenied", check.Headers.Location!.ToString());
        Assert.Contains("AccessDenied", (await enterprise.GetAsync("/Supervision/Plan")).Headers.Location!.ToString());
    }

    [Fact]
    public async Task ACountySeesOnlyItsOwnTasksAndReportRowsAndIssuesNoTreatmentList()
    {
        RequireDatabase();
        var year = BeijingTime.Today(TimeProvider.System).Year;
        var (ownTask, foreignTask, foreignEnterprise) = await factory.QueryAsync(async db =>
        {
            var region = await db.Regions.SingleAsync(r => r.Code == "950121");
            var own = await db.SupervisoryTasks.Where(t => t.RegionId == region.Id).Select(t => t.Id).FirstAsync();
            var foreign = await db.SupervisoryTasks.Where(t => t.RegionId != region.Id && t.Year == year && t.Quarter == 1)
                .Join(db.Enterprises, t => t.EnterpriseId, e => e.Id, (t, e) => new { t.Id, e.Name }).FirstAsync();
            return (own, foreign.Id, foreign.Name);
        });
        var county = await factory.SignedInAsync("beishan");
        Assert.Equal(HttpStatusCode.OK, (await county.GetAsync($"/Supervision/Task/{ownTask}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await county.GetAsync($"/Supervision/Task/{foreignTask}")).StatusCode);
        Assert.DoesNotContain(foreignEnterprise, await county.GetStringAsync($"/Supervision/Plan?year={year}&quarter=1"));
        // Its upward report holds its own county's rows only.
        var csv = Encoding.UTF8.GetString(await county.GetByteArrayAsync($"/Supervision/Report?year={year}&quarter=1&format=csv")).TrimStart('\uFEFF');
        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal("950121", r.Split(',')[2]));
        // A county reports treatment progress but does not issue lists.
        var token = await county.FormTokenAsync("/Warnings/Cases");
        var issue = await county.PostFormAsync("/Treatment?handler=Issue", token, [new("documentNumber", "北环限治〔2026〕1号"), new("title", "县级限期治理名单"), new("issuedOn", "2026-01-05")]);
        Assert.Contains("AccessDenied", issue.Headers.Location!.ToString());
        Assert.False(await factory.QueryAsync(db => db.TreatmentLists.AnyAsync(l => l.DocumentNumber == "北环限治〔2026〕1号")));
    }
}

public sealed class SupervisionPageTestsOnSqlite(SqliteFactory factory) : SupervisionPageTests<SqliteFactory>(factory);

public sealed class SupervisionPageTestsOnPostgreSql(PostgreSqlFactory factory) : SupervisionPageTests<PostgreSqlFactory>(factory)
{
    protected override void RequireDatabase() => PostgreSqlFactory.SkipUnlessAvailable();
}
