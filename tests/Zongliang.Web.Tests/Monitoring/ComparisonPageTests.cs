using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Zongliang.Data;
using Zongliang.Domain.Access;
using Zongliang.Domain.Monitoring;
using Zongliang.Domain.Monitoring.Comparison;
using Zongliang.Domain.Monitoring.Validity;
using Zongliang.Web.Features.Monitoring;
using Zongliang.Web.Tests.Infrastructure;

namespace Zongliang.Web.Tests.Monitoring;

/// <summary>Comparison monitoring through the pages: tasks on schedule, samples, evaluation against the device's minute values, the consequences of a failure.</summary>
public abstract class ComparisonPageTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : ZongliangFactory
{
    protected virtual void RequireDatabase() { }

    private async Task ReadyAsync()
    {
        RequireDatabase();
        for (var i = 0; i < 600 && !await factory.QueryAsync(db => db.ComparisonTasks.AnyAsync()); i++)
            await Task.Delay(100);
        await factory.AggregatedAsync();
    }

    /// <summary>An open COD task of an outlet of the county (临川县 by default) whose demo history has valid minute values; each test takes its own outlet.</summary>
    private async Task<(ComparisonTask Task, List<Reading> Minutes)> OpenCodTaskAsync(int skip, string region = "950125")
    {
        var task = await factory.QueryAsync(db => db.ComparisonTasks
            .Where(t => t.Kind == ComparisonKind.Scheduled
                && db.Outlets.Any(o => o.Id == t.OutletId && o.Enterprise.Region.Code == region && o.Factors.Any(f => f.FactorCode == "w01018"))
                && db.Readings.Count(r => r.OutletId == t.OutletId && r.FactorCode == "w01018" && r.Flag == "N") > 100)
            .OrderBy(t => t.OutletId).Skip(skip).FirstAsync());
        var minutes = await factory.QueryAsync(db => db.Readings
            .Where(r => r.OutletId == task.OutletId && r.FactorCode == "w01018" && r.Kind == ReadingKind.Minute && r.Flag == "N")
            .OrderByDescending(r => r.TimeUtc).Take(30).ToListAsync());
        return (task, minutes.Where((_, i) => i % 10 == 0).ToList());
    }

    private static string Beijing(DateTime utc) => utc.AddHours(8).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    private async Task<HttpResponseMessage> SampleAsync(HttpClient client, int taskId, string factor, DateTime atUtc, double lab)
    {
        var url = $"/Monitoring/Comparison/{taskId}";
        var token = await client.FormTokenAsync(url);
        return await client.PostFormAsync(url + "?handler=Sample", token, [new("Input.FactorCode", factor), new("Input.SampledAt", Beijing(atUtc)),
            new("Input.LabValue", lab.ToString(CultureInfo.InvariantCulture)), new("Input.Method", "HJ 828-2017")]);
    }

    private async Task<HttpResponseMessage> EvaluateAsync(HttpClient client, int taskId)
    {
        var url = $"/Monitoring/Comparison/{taskId}";
        return await client.PostFormAsync(url + "?handler=Evaluate", await client.FormTokenAsync(url), []);
    }

    [Fact]
    public async Task TasksAreCreatedOnScheduleForNetworkedOutletsOnce()
    {
        await ReadyAsync();
        var tasks = await factory.QueryAsync(db => db.ComparisonTasks.ToListAsync());
        Assert.NotEmpty(tasks);
        Assert.All(tasks.GroupBy(t => (t.OutletId, t.Key)), g => Assert.Single(g));
        var networkedOnly = await factory.QueryAsync(db => db.ComparisonTasks.AllAsync(t => db.Devices.Any(d => d.OutletId == t.OutletId && d.State == Domain.Registry.DeviceState.Networked)));
        Assert.True(networkedOnly);

        var again = 0;
        await factory.WithScopeAsync(AccessScope.System("test"), async db => again = await factory.Services.GetRequiredService<ComparisonService>().CreateDueTasksAsync(db, CancellationToken.None));
        Assert.Equal(0, again);
        var client = await factory.SignedInAsync("linchuan");
        Assert.Contains("比对监测任务", await client.GetStringAsync("/Monitoring/Comparisons"));
    }

    [Fact]
    public async Task APassingComparisonFindsTheDeviceValuesItself()
    {
        await ReadyAsync();
        var (task, minutes) = await OpenCodTaskAsync(0);
        var client = await factory.SignedInAsync("station");
        foreach (var m in minutes)
            Assert.Equal(HttpStatusCode.Redirect, (await SampleAsync(client, task.Id, "w01018", m.TimeUtc.AddMinutes(3), Math.Round(m.Value!.Value * 1.04, 2))).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await EvaluateAsync(client, task.Id)).StatusCode);

        var done = await factory.QueryAsync(db => db.ComparisonTasks.Include(t => t.Samples).Include(t => t.Results).SingleAsync(t => t.Id == task.Id));
        Assert.Equal(ComparisonState.Passed, done.State);
        Assert.Equal(minutes.Select(m => m.Value).OrderBy(v => v), done.Samples.Select(s => s.DeviceValue).OrderBy(v => v));
        Assert.True(Assert.Single(done.Results).Passed);
        Assert.Contains("合格", await client.GetStringAsync($"/Monitoring/Comparison/{task.Id}"));
    }

    [Fact]
    public async Task AFailedComparisonMakesTheDataSuspectAndOpensARetest()
    {
        await ReadyAsync();
        var (task, minutes) = await OpenCodTaskAsync(1);
        var client = await factory.SignedInAsync("station");
        foreach (var m in minutes)
            await SampleAsync(client, task.Id, "w01018", m.TimeUtc, Math.Round(m.Value!.Value * 0.5, 2));

        await EvaluateAsync(client, task.Id);

        var done = await factory.QueryAsync(db => db.ComparisonTasks.SingleAsync(t => t.Id == task.Id));
        Assert.Equal(ComparisonState.Failed, done.State);
        var retest = await factory.QueryAsync(db => db.ComparisonTasks.SingleAsync(t => t.OutletId == task.OutletId && t.Key == $"R{task.Id}"));
        Assert.Equal((ComparisonKind.Retest, ComparisonState.Open), (retest.Kind, retest.State));
        var marked = await factory.QueryAsync(db => db.HourAggregates
            .Where(h => h.OutletId == task.OutletId && h.FactorCode == "w01018" && h.HourUtc < done.EvaluatedAtUtc).Select(h => h.Suspect).ToListAsync());
        Assert.NotEmpty(marked);
        Assert.All(marked, s => Assert.True(s.HasFlag(SuspectReason.ComparisonFailed)));
        var other = await factory.QueryAsync(db => db.HourAggregates.Where(h => h.OutletId == task.OutletId && h.FactorCode != "w01018").Select(h => h.Suspect).ToListAsync());
        Assert.DoesNotContain(other, s => s.HasFlag(SuspectReason.ComparisonFailed));
    }

    [Fact]
    public async Task ABadSampleGetsAMessageNextToItsFieldAndTooFewSamplesCannotBeEvaluated()
    {
        await ReadyAsync();
        var (task, minutes) = await OpenCodTaskAsync(0, region: "950121");
        var client = await factory.SignedInAsync("station");
        var url = $"/Monitoring/Comparison/{task.Id}";

        var missing = await client.PostFormAsync(url + "?handler=Sample", await client.FormTokenAsync(url), [new("Input.FactorCode", "w01018"), new("Input.SampledAt", Beijing(minutes[0].TimeUtc))]);
        Assert.Contains("请填写实验室测定值", await missing.Content.ReadAsStringAsync());
        var future = await SampleAsync(client, task.Id, "w01018", DateTime.UtcNow.AddHours(2), 30);
        Assert.Contains("采样时间不能晚于现在", await future.Content.ReadAsStringAsync());

        await SampleAsync(client, task.Id, "w01018", minutes[0].TimeUtc, 30);
        var tooFew = await EvaluateAsync(client, task.Id);
        Assert.Contains("至少需要 3 组", await tooFew.Content.ReadAsStringAsync());
        Assert.Equal(ComparisonState.Open, (await factory.QueryAsync(db => db.ComparisonTasks.SingleAsync(t => t.Id == task.Id))).State);
    }

    [Fact]
    public async Task OnlyTheMonitoringStationRecordsSamplesTheCountyFollowsTheTask()
    {
        // README: "The station records lab samples"; county and city users see the task but have no form and cannot post one.
        await ReadyAsync();
        var (task, minutes) = await OpenCodTaskAsync(0, region: "950121");
        var url = $"/Monitoring/Comparison/{task.Id}";
        Task<int> SamplesAsync() => factory.QueryAsync(db => db.ComparisonTasks.Where(t => t.Id == task.Id).SelectMany(t => t.Samples).CountAsync());
        var before = await SamplesAsync();
        foreach (var user in new[] { "beishan", "city" })
        {
            var client = await factory.SignedInAsync(user);
            var page = await client.GetStringAsync(url);
            Assert.DoesNotContain("id=\"sample\"", page);
            var token = await client.FormTokenAsync($"/Monitoring/Outlet/{task.OutletId}"); // a token of this user's, from the audit form
            var posted = await client.PostFormAsync(url + "?handler=Sample", token, [new("Input.FactorCode", "w01018"),
                new("Input.SampledAt", Beijing(minutes[0].TimeUtc)), new("Input.LabValue", "30")]);
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
            Assert.Contains("AccessDenied", posted.Headers.Location!.ToString());
            var evaluated = await client.PostFormAsync(url + "?handler=Evaluate", token, []);
            Assert.Contains("AccessDenied", evaluated.Headers.Location!.ToString());
        }
        Assert.Equal(before, await SamplesAsync());
        Assert.Contains("id=\"sample\"", await (await factory.SignedInAsync("station")).GetStringAsync(url));
    }

    [Fact]
    public async Task ACountyUserCannotReachAnotherCountysComparisonAndAnInspectorNone()
    {
        await ReadyAsync();
        var other = await factory.QueryAsync(db => db.ComparisonTasks.FirstAsync(t => db.Outlets.Any(o => o.Id == t.OutletId && o.Enterprise.Region.Code == "950121")));
        var client = await factory.SignedInAsync("linchuan");

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Monitoring/Comparison/{other.Id}")).StatusCode);
        Assert.DoesNotContain("北山县", await client.GetStringAsync("/Monitoring/Comparisons"));
        var inspector = await factory.SignedInAsync("inspect");
        var denied = await inspector.GetAsync($"/Monitoring/Comparison/{other.Id}");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Contains("AccessDenied", denied.Headers.Location!.ToString());
    }
}

public sealed class ComparisonPageTestsOnSqlite(SqliteFactory factory) : ComparisonPageTests<SqliteFactory>(factory);

public sealed class ComparisonPageTestsOnPostgreSql(PostgreSqlFactory factory) : ComparisonPageTests<PostgreSqlFactory>(factory)
{
    protected override void RequireDatabase() => PostgreSqlFactory.SkipUnlessAvailable();
}
