using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using Zongliang.Domain.Supervision;
using Zongliang.Domain.Warnings;
using Zongliang.Web.Features.Warnings;
using Zongliang.Web.Tests.Infrastructure;

namespace Zongliang.Web.Tests.Warnings;

/// <summary>The demo city on a clock that stands at 23:30 Beijing time on New Year's Eve (15:30 UTC): the host runs on it.</summary>
public sealed class NewYearsEveFactory : SqliteFactory
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 31, 15, 30, 0, TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>Deadlines and quarters across the year end and Beijing midnight, with the host on a fake clock.</summary>
public sealed class FakeClockTests(NewYearsEveFactory factory) : IClassFixture<NewYearsEveFactory>
{
    [Fact]
    public async Task AtBeijingMidnightOnNewYearsEveTheTreatmentDeadlineArrivesAndTheCaseBecomesOverdue()
    {
        var warnings = factory.Services.GetRequiredService<WarningService>();
        // An entry due on New Year's Day and a case due on New Year's Eve, both in 北山县.
        var (entryId, caseId) = await factory.QueryAsync(async db =>
        {
            var region = await db.Regions.SingleAsync(r => r.Code == "950121");
            var enterprise = await db.Enterprises.FirstAsync(e => e.RegionId == region.Id);
            var (list, _) = TreatmentList.Issue("青环限治〔2026〕9号", "跨年测试名单", new DateOnly(2026, 6, 1), "市总量办", factory.Clock.GetUtcNow().UtcDateTime);
            db.TreatmentLists.Add(list!);
            await db.SaveChangesAsync();
            var (entry, _) = TreatmentEntry.Add(list!, enterprise.Id, region.Id, "COD 超标", new DateOnly(2027, 1, 1), "建设深度处理设施", "");
            db.TreatmentEntries.Add(entry!);
            var (c, _) = LinkageCase.Open(region.Id, enterprise.Id, null, null, CaseSource.Manual, "跨年期限测试案件", "测试", factory.Clock.GetUtcNow().UtcDateTime);
            Assert.True(c!.Assign("inspect", new DateOnly(2026, 12, 31), "科长", factory.Clock.GetUtcNow().UtcDateTime).Succeeded);
            db.LinkageCases.Add(c);
            await db.SaveChangesAsync();
            return (entry!.Id, c.Id);
        });

        await warnings.SweepAsync(CancellationToken.None); // 23:30 on Dec 31st in Beijing
        var entry = await factory.QueryAsync(db => db.TreatmentEntries.SingleAsync(e => e.Id == entryId));
        Assert.Equal(TreatmentState.InProgress, entry.State);
        Assert.False(await factory.QueryAsync(db => db.LinkageCases.Where(c => c.Id == caseId).Select(c => c.Escalated).SingleAsync()));
        var station = await factory.SignedInAsync("station");
        Assert.Contains("第4季度完成情况", await station.GetStringAsync("/Supervision/Plan"));

        factory.Clock.Advance(TimeSpan.FromHours(1)); // 00:30 on Jan 1st 2027 in Beijing; still Dec 31st in UTC
        await warnings.SweepAsync(CancellationToken.None);
        entry = await factory.QueryAsync(db => db.TreatmentEntries.SingleAsync(e => e.Id == entryId));
        Assert.Equal(TreatmentState.AwaitingMonitoring, entry.State);
        var task = await factory.QueryAsync(db => db.SupervisoryTasks.SingleAsync(t => t.TreatmentEntryId == entryId));
        Assert.Equal((2027, new DateOnly(2027, 1, 4)), (task.Year, task.Due)); // three days from New Year's Day
        Assert.True(await factory.QueryAsync(db => db.LinkageCases.Where(c => c.Id == caseId).Select(c => c.Escalated).SingleAsync()));
        Assert.Contains("第1季度完成情况", await station.GetStringAsync("/Supervision/Plan"));
        var plan = await station.GetStringAsync("/Supervision/Plan");
        Assert.Contains("2027", plan);

        // A second sweep creates no second task.
        await warnings.SweepAsync(CancellationToken.None);
        Assert.Equal(1, await factory.QueryAsync(db => db.SupervisoryTasks.CountAsync(t => t.TreatmentEntryId == entryId)));
    }
}
