using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Zongliang.Data.Seeding;
using Zongliang.Domain.Common;
using Zongliang.Domain.Monitoring;
using Zongliang.Domain.Notifications;
using Zongliang.Domain.Warnings;
using Zongliang.Web.Features.Warnings;
using Zongliang.Web.Tests.Infrastructure;

namespace Zongliang.Web.Tests.Warnings;

/// <summary>Warnings from the demo city's data, the linkage case over HTTP, scope, notifications and the sweep. Runs on SQLite and PostgreSQL.</summary>
public abstract class WarningPageTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : ZongliangFactory
{
    protected virtual void RequireDatabase() { }

    private async Task ReadyAsync()
    {
        RequireDatabase();
        await factory.AggregatedAsync();
    }

    [Fact]
    public async Task TheDemoPatternsRaiseWarningsAndCasesOnceEvenWhenEvaluatedAgain()
    {
        await ReadyAsync();
        var warnings = await factory.QueryAsync(db => db.Warnings.AsNoTracking().ToListAsync());
        // An exceedance of four hours: red, ended (the data came back under the limit), and handed to inspection.
        var red = warnings.Where(w => w.Kind == WarningKind.Exceedance && w.PeakLevel == WarningLevel.Red).ToList();
        Assert.NotEmpty(red);
        Assert.All(red, w => Assert.NotNull(w.CaseId));
        Assert.All(red, w => Assert.Equal("数据已恢复正常", w.ClosedReason));
        Assert.All(red, w => Assert.True(w.Value > w.Limit));
        // The falsification patterns of the demo: a value held under the limit, and no flow while producing (handed over: score 85).
        Assert.Contains(warnings, w => w.Kind == WarningKind.Suspicion && w.Rule == SuspicionDetectors.FlatBelowLimit && w.Score >= 65);
        var zeroFlow = warnings.Where(w => w.Kind == WarningKind.Suspicion && w.Rule == SuspicionDetectors.ZeroFlow).ToList();
        Assert.NotEmpty(zeroFlow);
        Assert.All(zeroFlow, w => Assert.NotNull(w.CaseId));
        // 北山县's enterprise over its permitted total.
        Assert.Contains(warnings, w => w.Kind == WarningKind.AnnualTotal && w.EnterpriseId != null && w.PeakLevel == WarningLevel.Red);
        var cases = await factory.QueryAsync(db => db.LinkageCases.CountAsync(c => c.WarningId != null));
        Assert.Equal(warnings.Count(w => w.CaseId is not null), cases);

        var service = factory.Services.GetRequiredService<WarningService>();
        foreach (var outlet in warnings.Where(w => w.OutletId is not null).Select(w => w.OutletId!.Value).Distinct())
            await service.EvaluateOutletAsync(outlet, CancellationToken.None);
        Assert.Equal(warnings.Count, await factory.QueryAsync(db => db.Warnings.CountAsync()));
        Assert.Equal(cases, await factory.QueryAsync(db => db.LinkageCases.CountAsync(c => c.WarningId != null)));
    }

    [Fact]
    public async Task ACountySeesAndHandlesOnlyItsOwnWarningsAndCases()
    {
        await ReadyAsync();
        var (caseId, region) = await factory.QueryAsync(db => (from c in db.LinkageCases join r in db.Regions on c.RegionId equals r.Id
                                                               orderby c.Id select new ValueTuple<long, string>(c.Id, r.Code)).FirstAsync());
        var own = DemoCity.Counties.Single(c => c.Code == region).Login;
        var other = DemoCity.Counties.First(c => c.Code != region).Login;
        var subject = await factory.QueryAsync(db => db.LinkageCases.Where(c => c.Id == caseId).Select(c => c.Subject).SingleAsync());

        var mine = await factory.SignedInAsync(own);
        Assert.Contains(subject, await mine.GetStringAsync("/Warnings/Cases"));
        Assert.Equal(HttpStatusCode.OK, (await mine.GetAsync($"/Warnings/Case/{caseId}")).StatusCode);
        var foreign = await factory.SignedInAsync(other);
        Assert.DoesNotContain(subject, await foreign.GetStringAsync("/Warnings/Cases"));
        Assert.DoesNotContain(subject, await foreign.GetStringAsync("/Warnings?show=all"));
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.GetAsync($"/Warnings/Case/{caseId}")).StatusCode);

        // A county hands over but does not assign: only inspection does.
        var token = await mine.FormTokenAsync("/Warnings/Cases"); // the case page has no form for a county
        var assign = await mine.PostFormAsync($"/Warnings/Case/{caseId}?handler=Assign", token,
            [new("inspector", "inspect"), new("deadline", BeijingTime.Today(TimeProvider.System).AddDays(3).ToString("yyyy-MM-dd"))]);
        Assert.Equal(HttpStatusCode.Redirect, assign.StatusCode);
        Assert.Contains("AccessDenied", assign.Headers.Location!.ToString());
        Assert.Equal(CaseState.Opened, await factory.QueryAsync(db => db.LinkageCases.Where(c => c.Id == caseId).Select(c => c.State).SingleAsync()));

        // An enterprise sees its own cases on its page, and nobody else's.
        var (enterpriseUser, enterpriseId) = await factory.QueryAsync(db => db.Users.Where(u => u.EnterpriseId != null).OrderBy(u => u.UserName)
            .Select(u => new ValueTuple<string, int>(u.UserName!, u.EnterpriseId!.Value)).FirstAsync());
        var enterprise = await factory.SignedInAsync(enterpriseUser);
        var foreignCase = await factory.QueryAsync(db => db.LinkageCases.Where(c => c.EnterpriseId != enterpriseId).Select(c => c.Id).FirstAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await enterprise.GetAsync($"/Warnings/Case/{foreignCase}")).StatusCode);
        var listed = await enterprise.GetStringAsync("/Warnings?show=all");
        var others = await factory.QueryAsync(db => db.Warnings.Where(w => w.EnterpriseId != enterpriseId && w.EnterpriseId != null).Select(w => w.Message).Take(20).ToListAsync());
        Assert.All(others, m => Assert.DoesNotContain(m, listed));
    }

    [Fact]
    public async Task EachStepTellsThePartiesAndAnOverdueCaseIsEscalatedOnce()
    {
        await ReadyAsync();
        var caseId = await factory.QueryAsync(db => db.LinkageCases.OrderByDescending(c => c.Id).Select(c => c.Id).FirstAsync());
        // The inspector has an e-mail address: the messages also go to the outbox (no SMTP server here: they stay there).
        await factory.QueryAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.UserName == "inspect");
            user.Email = "inspect@zongliang.test";
            user.PhoneNumber = "13800000000";
            return await db.SaveChangesAsync();
        });
        var inspector = await factory.SignedInAsync("inspect");
        var token = await inspector.FormTokenAsync($"/Warnings/Case/{caseId}");
        var bad = await inspector.PostFormAsync($"/Warnings/Case/{caseId}?handler=Assign", token, [new("inspector", "hedong"), new("deadline", "2099-01-01")]);
        Assert.Contains("承办人须为本辖区的环境监察人员", await bad.Content.ReadAsStringAsync());
        var today = BeijingTime.Today(TimeProvider.System);
        var assigned = await inspector.PostFormAsync($"/Warnings/Case/{caseId}?handler=Assign", token, [new("inspector", "inspect"), new("deadline", today.ToString("yyyy-MM-dd"))]);
        Assert.Equal(HttpStatusCode.Redirect, assigned.StatusCode);

        var inbox = await inspector.GetStringAsync("/Inbox");
        Assert.Contains($"联动案件 {caseId}：已指派", inbox);
        var outbox = await factory.QueryAsync(db => db.OutboxMessages.Where(m => m.Subject.Contains($"联动案件 {caseId}：已指派")).ToListAsync());
        Assert.Contains(outbox, m => m.Channel == OutboxChannel.Email && m.To == "inspect@zongliang.test" && m.SentAtUtc == null);
        Assert.Contains(outbox, m => m.Channel == OutboxChannel.Sms && m.To == "13800000000");
        // Waiting (no SMTP server here), and shown to administrators only.
        Assert.Contains("inspect@zongliang.test", await (await factory.SignedInAsync("admin")).GetStringAsync("/System/Outbox"));
        Assert.Contains("AccessDenied", (await inspector.GetAsync("/System/Outbox")).Headers.Location!.ToString());

        // Not overdue on its deadline day; two days later it is, and it is escalated once.
        var now = DateTime.UtcNow;
        Assert.Equal(0, await factory.QueryAsync(db => CaseService.EscalateOverdueAsync(db, now, CancellationToken.None)));
        var later = BeijingTime.DayStartUtc(today.AddDays(2));
        Assert.Equal(1, await factory.QueryAsync(db => CaseService.EscalateOverdueAsync(db, later, CancellationToken.None)));
        Assert.Equal(0, await factory.QueryAsync(db => CaseService.EscalateOverdueAsync(db, later.AddHours(1), CancellationToken.None)));
        var escalated = await factory.QueryAsync(db => db.LinkageCases.Include(c => c.Steps).SingleAsync(c => c.Id == caseId));
        Assert.True(escalated.Escalated);
        Assert.Equal("逾期督办", escalated.Steps.OrderBy(s => s.Id).Last().Action);
        Assert.Contains($"联动案件 {caseId} 已逾期", await (await factory.SignedInAsync("supervise")).GetStringAsync("/Inbox"));
    }

    [Fact]
    public async Task TwoSendersOnOneDatabaseSendEachSmsOnce()
    {
        // Issue 16: "the … outbox jobs claim their work … so that no SMS is sent twice" (two instances on one database).
        RequireDatabase();
        var marker = $"claim-{Guid.NewGuid():N}"[..20];
        await factory.QueryAsync(async db =>
        {
            for (var i = 0; i < 30; i++)
                db.OutboxMessages.Add(new OutboxMessage(OutboxChannel.Sms, $"1390000{i:D4}", "测试", $"{marker} {i}", DateTime.UtcNow));
            return await db.SaveChangesAsync();
        });
        var gateway = new CountingGateway();
        OutboxSender Sender() => new(factory.Services.GetRequiredService<IServiceScopeFactory>(), factory.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>(),
            TimeProvider.System, gateway, Microsoft.Extensions.Logging.Abstractions.NullLogger<OutboxSender>.Instance);
        var (a, b) = (Sender(), Sender());
        var sent = await Task.WhenAll(a.SendDueAsync(null, "http://sms.gateway/send", CancellationToken.None), b.SendDueAsync(null, "http://sms.gateway/send", CancellationToken.None));

        var mine = gateway.Bodies.Where(x => x.Contains(marker)).ToList();
        Assert.Equal(30, mine.Count);
        Assert.Equal(30, mine.Distinct().Count());
        Assert.True(sent.Sum() >= 30);
        Assert.Equal(0, await factory.QueryAsync(db => db.OutboxMessages.CountAsync(m => m.Body.StartsWith(marker) && m.SentAtUtc == null)));
    }

    [Fact]
    public async Task AClockFaultIsAWarningWhileFaultyPacketsComeAndClosesAnHourAfterTheLast()
    {
        await ReadyAsync();
        var sweep = factory.Services.GetRequiredService<WarningService>();
        var device = await factory.QueryAsync(db => db.Devices.Where(d => d.State == Zongliang.Domain.Registry.DeviceState.Networked).OrderByDescending(d => d.Id)
            .Select(d => new { d.Id, d.Mn }).FirstAsync());
        var now = DateTime.UtcNow;
        await factory.QueryAsync(async db =>
        {
            db.DeviceClockFaults.Add(DeviceClockFault.Start(device.Id, now, "2000-01-01 00:00:00", DataTimeVerdict.BeforeRegistration, 12));
            return await db.SaveChangesAsync();
        });
        await sweep.SweepAsync(CancellationToken.None);
        var warning = await factory.QueryAsync(db => db.Warnings.SingleAsync(w => w.Kind == WarningKind.ClockFault && w.Subject == device.Mn && w.ClosedAtUtc == null));
        Assert.Contains("时钟异常：数据时间早于设备登记时间（数据时间 2000-01-01 00:00:00），12 包未计入监测数据", warning.Message);

        await factory.QueryAsync(async db =>
        {
            await db.DeviceClockFaults.Where(f => f.DeviceId == device.Id).ExecuteUpdateAsync(u => u.SetProperty(f => f.LastAtUtc, now.AddMinutes(-61)));
            return 0;
        });
        await sweep.SweepAsync(CancellationToken.None);
        Assert.Equal("数据时间恢复正常", (await factory.QueryAsync(db => db.Warnings.SingleAsync(w => w.Id == warning.Id))).ClosedReason);
    }

    [Fact]
    public async Task TheSweepWarnsOfSilentDevicesAndClosesTheWarningWhenTheDeviceIsHeardAgain()
    {
        await ReadyAsync();
        var sweep = factory.Services.GetRequiredService<WarningService>();
        // The demo's devices reported with their history; one falls silent.
        var deviceId = await factory.QueryAsync(db => db.Devices.Where(d => d.State == Zongliang.Domain.Registry.DeviceState.Networked).OrderByDescending(d => d.Id).Skip(1).Select(d => d.Id).FirstAsync());
        await factory.QueryAsync(async db =>
        {
            (await db.DeviceStatuses.SingleAsync(s => s.DeviceId == deviceId)).LastSeenUtc = DateTime.UtcNow.AddHours(-5);
            return await db.SaveChangesAsync();
        });
        await sweep.SweepAsync(CancellationToken.None);
        var mn = await factory.QueryAsync(db => db.Devices.Where(d => d.Id == deviceId).Select(d => d.Mn).SingleAsync());
        var first = await factory.QueryAsync(db => db.Warnings.SingleAsync(w => w.Kind == WarningKind.DeviceOffline && w.Subject == mn && w.ClosedAtUtc == null));
        await factory.QueryAsync(async db =>
        {
            var status = await db.DeviceStatuses.SingleOrDefaultAsync(s => s.DeviceId == deviceId);
            if (status is null) db.DeviceStatuses.Add(new DeviceStatus { DeviceId = deviceId, LastSeenUtc = DateTime.UtcNow, LastPeer = "127.0.0.1" });
            else status.LastSeenUtc = DateTime.UtcNow;
            return await db.SaveChangesAsync();
        });
        await sweep.SweepAsync(CancellationToken.None);
        var closed = await factory.QueryAsync(db => db.Warnings.SingleAsync(w => w.Id == first.Id));
        Assert.Equal("设备恢复通信", closed.ClosedReason);
        // Silent again after it had reported: a new episode, and the station is alarmed.
        await factory.QueryAsync(async db =>
        {
            (await db.DeviceStatuses.SingleAsync(s => s.DeviceId == deviceId)).LastSeenUtc = DateTime.UtcNow.AddHours(-3);
            return await db.SaveChangesAsync();
        });
        await sweep.SweepAsync(CancellationToken.None);
        Assert.True(await factory.QueryAsync(db => db.Warnings.AnyAsync(w => w.Kind == WarningKind.DeviceOffline && w.Subject == first.Subject && w.ClosedAtUtc == null)));
        Assert.Contains($"设备 {first.Subject} 离线，最后通信", await (await factory.SignedInAsync("station")).GetStringAsync("/Inbox"));
        // One warning per device and episode: a second sweep adds none.
        var count = await factory.QueryAsync(db => db.Warnings.CountAsync(w => w.Kind == WarningKind.DeviceOffline));
        await sweep.SweepAsync(CancellationToken.None);
        Assert.Equal(count, await factory.QueryAsync(db => db.Warnings.CountAsync(w => w.Kind == WarningKind.DeviceOffline)));
    }

    [Fact]
    public async Task ACaseOpenedByHandNeedsASubjectAndAnEnterpriseOfTheRegion()
    {
        await ReadyAsync();
        var (region, foreign) = await factory.QueryAsync(async db =>
        {
            var r = await db.Regions.SingleAsync(x => x.Code == "950121");
            var f = await db.Enterprises.Where(e => e.RegionId != r.Id).Select(e => e.Id).FirstAsync();
            return (r.Id, f);
        });
        var own = await factory.QueryAsync(db => db.Enterprises.Where(e => e.RegionId == region).Select(e => e.Id).FirstAsync());
        var county = await factory.SignedInAsync("beishan");
        var token = await county.FormTokenAsync("/Warnings/Cases");
        var noSubject = await county.PostFormAsync("/Warnings/Cases?handler=Open", token, [new("Input.EnterpriseId", $"{own}"), new("Input.Subject", "")]);
        Assert.Contains("请写明案由", await noSubject.Content.ReadAsStringAsync());
        var outside = await county.PostFormAsync("/Warnings/Cases?handler=Open", token, [new("Input.EnterpriseId", $"{foreign}"), new("Input.Subject", "群众举报夜间偷排")]);
        Assert.Contains("只能为本辖区的排污单位立案", await outside.Content.ReadAsStringAsync());
        var opened = await county.PostFormAsync("/Warnings/Cases?handler=Open", token, [new("Input.EnterpriseId", $"{own}"), new("Input.Subject", "群众举报夜间偷排")]);
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        var c = await factory.QueryAsync(db => db.LinkageCases.SingleAsync(x => x.Subject == "群众举报夜间偷排"));
        Assert.Equal((CaseSource.Manual, own, CaseState.Opened), (c.Source, c.EnterpriseId, c.State));
        Assert.Contains("群众举报夜间偷排", await (await factory.SignedInAsync("inspect")).GetStringAsync("/Inbox"));
    }

    [Fact]
    public async Task TheDashboardInboxAndDismissStayWithinTheUsersRegionRoleAndOwnMessages()
    {
        await ReadyAsync();
        // The county's dashboard counts only its own county's open warnings.
        var region = await factory.QueryAsync(db => db.Regions.SingleAsync(r => r.Code == "950121"));
        var own = await factory.QueryAsync(db => db.Warnings.CountAsync(w => w.ClosedAtUtc == null && w.RegionId == region.Id));
        var all = await factory.QueryAsync(db => db.Warnings.CountAsync(w => w.ClosedAtUtc == null));
        Assert.True(all > own);
        var county = await factory.SignedInAsync("beishan");
        Assert.Contains($"id=\"open-warnings\">{own}<", await county.GetStringAsync("/?handler=Dashboard"));

        // A message can be opened only by the user it is addressed to.
        var foreignMessage = await factory.QueryAsync(db => db.InboxMessages.Where(m => m.UserName != "beishan").Select(m => m.Id).FirstAsync());
        var token = await county.FormTokenAsync("/Warnings/Cases");
        Assert.Equal(HttpStatusCode.NotFound, (await county.PostFormAsync($"/Inbox?handler=Open&id={foreignMessage}", token, [])).StatusCode);
        Assert.Null(await factory.QueryAsync(db => db.InboxMessages.Where(m => m.Id == foreignMessage).Select(m => m.ReadAtUtc).SingleAsync()));

        // Dismissing a suspicion is for inspection and the station, not a county; another county's suspicion is not found at all.
        var suspicion = await factory.QueryAsync(db => db.Warnings.Where(w => w.Kind == WarningKind.Suspicion && w.ClosedAtUtc == null && w.CaseId == null)
            .Select(w => new { w.Id, w.RegionId }).FirstAsync());
        var dismiss = await county.PostFormAsync("/Warnings?handler=Dismiss", token, [new("warningId", $"{suspicion.Id}"), new("reason", "县局认为正常")]);
        Assert.Contains("AccessDenied", dismiss.Headers.Location!.ToString());
        var other = await factory.QueryAsync(db => db.Regions.Where(r => r.Id != suspicion.RegionId && r.Code.StartsWith("9501") && r.Code != "950100").Select(r => r.Code).FirstAsync());
        var foreignCounty = await factory.SignedInAsync(DemoCity.Counties.Single(c => c.Code == other).Login);
        var foreignToken = await foreignCounty.FormTokenAsync("/Warnings/Cases");
        Assert.Equal(HttpStatusCode.NotFound, (await foreignCounty.PostFormAsync("/Warnings?handler=Case", foreignToken, [new("warningId", $"{suspicion.Id}")])).StatusCode);
        Assert.True(await factory.QueryAsync(db => db.Warnings.AnyAsync(w => w.Id == suspicion.Id && w.ClosedAtUtc == null && w.CaseId == null)));
    }
}

public sealed class WarningPageTestsOnSqlite(SqliteFactory factory) : WarningPageTests<SqliteFactory>(factory);

public sealed class WarningPageTestsOnPostgreSql(PostgreSqlFactory factory) : WarningPageTests<PostgreSqlFactory>(factory)
{
    protected override void RequireDatabase() => PostgreSqlFactory.SkipUnlessAvailable();
}
