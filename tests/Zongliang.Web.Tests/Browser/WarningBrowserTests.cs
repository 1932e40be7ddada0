using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;
using Zongliang.Domain.Common;
using Zongliang.Domain.Monitoring.Validity;
using Zongliang.Domain.Registry;
using Zongliang.Domain.Warnings;
using Zongliang.Hj212;
using Zongliang.Web.Tests.Infrastructure;

namespace Zongliang.Web.Tests.Browser;

/// <summary>
/// M3 and M9 end to end: a logger sends an exceedance over TCP; the platform judges the hours, raises a
/// red warning and opens a linkage case; the dashboard shows it without reload; an inspector handles
/// the case in Chromium and the monitoring station closes it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WarningBrowserTests(KestrelSqliteFactory factory, ITestOutputHelper output) : IClassFixture<KestrelSqliteFactory>
{
    private sealed record Gap(int OutletId, int EnterpriseId, string Enterprise, string Mn, string Pw, decimal Limit, decimal Oxygen, DateTime FirstHourUtc);

    /// <summary>A gas outlet whose logger was silent for hours in the demo history: a late delivery of those hours is new data.</summary>
    private Task<Gap> SilentGasOutletAsync() => factory.QueryAsync(async db =>
    {
        var candidates = await db.HourAggregates.Where(h => h.FactorCode == "a21026" && h.Received == 0 && h.Stopped == 0)
            .Select(h => new { h.OutletId, h.HourUtc }).ToListAsync();
        foreach (var g in candidates.GroupBy(c => c.OutletId))
        {
            var hours = g.Select(c => c.HourUtc).Order().ToList();
            var start = hours.FirstOrDefault(h => hours.Contains(h.AddHours(1)) && hours.Contains(h.AddHours(2)) && hours.Contains(h.AddHours(3)));
            if (start == default) continue;
            var outlet = await db.Outlets.Include(o => o.Factors).Include(o => o.Enterprise).SingleAsync(o => o.Id == g.Key);
            var device = await db.Devices.FirstOrDefaultAsync(d => d.OutletId == g.Key && d.State == DeviceState.Networked && d.Mn.Length == 24);
            if (device is null || outlet.Factors.FirstOrDefault(f => f.FactorCode == "a21026")?.Limit is not { } limit) continue;
            return new Gap(outlet.Id, outlet.EnterpriseId, outlet.Enterprise.Name, device.Mn, device.AccessPassword, limit, outlet.ReferenceOxygen ?? 9, start);
        }
        throw new InvalidOperationException("the demo history has no silent gas outlet");
    });

    [Fact]
    public async Task AnExceedanceFromALoggerBecomesACaseThatAnInspectorHandlesAndTheStationCloses()
    {
        await factory.AggregatedAsync();
        var gap = await SilentGasOutletAsync();

        using var pw = await Playwright.CreateAsync();
        await using var browser = await RegistryBrowserTests.LaunchAsync(pw);
        var inspector = await (await browser.NewContextAsync(new() { Locale = "zh-CN", ViewportSize = new() { Width = 1366, Height = 900 } })).NewPageAsync();
        var external = new List<string>();
        inspector.Request += (_, r) => { if (!r.Url.StartsWith(factory.BaseUrl)) external.Add(r.Url); };
        await inspector.GotoAsync(factory.BaseUrl + "/");
        await RegistryBrowserTests.SignInAsync(inspector, "inspect");
        var casesBefore = int.Parse(await inspector.Locator("#open-cases").InnerTextAsync(), CultureInfo.InvariantCulture);

        // The logger delivers the three silent hours late: SO2 at twice the limit, every ten minutes, as 2051 minute data.
        await using (var logger = await LoggerClient.ConnectAsync(factory.Hj212Port))
        {
            var qn = 0;
            for (var at = gap.FirstHourUtc; at < gap.FirstHourUtc.AddHours(3); at = at.AddMinutes(10))
            {
                var local = BeijingTime.FromUtc(at);
                var cp = string.Create(CultureInfo.InvariantCulture,
                    $"DataTime={local:yyyyMMddHHmmss};a21026-Avg={(double)gap.Limit * 2:0.0},a21026-Flag=N;a19001-Avg={gap.Oxygen:0.0},a19001-Flag=N;a00000-Avg=25.0,a00000-Flag=N");
                await logger.SendAsync(Hj212Writer.Segment($"{local:yyyyMMddHHmmss}{++qn:000}", "32", "2051", gap.Pw, gap.Mn, 5, cp));
                Assert.Equal("9014", (await logger.ReceiveAsync())?.Cn);
            }
        }
        var sent = Stopwatch.StartNew();

        // The dashboard shows the new case without a reload (it refreshes itself every 2 s).
        await Assertions.Expect(inspector.Locator("#open-cases")).Not.ToHaveTextAsync(casesBefore.ToString(CultureInfo.InvariantCulture), new() { Timeout = 30_000 });
        output.WriteLine($"from the last acknowledged packet to the case on the dashboard: {sent.ElapsedMilliseconds} ms");
        var warning = await factory.QueryAsync(db => db.Warnings.SingleAsync(w => w.OutletId == gap.OutletId && w.Kind == WarningKind.Exceedance && w.Subject == "a21026" && w.StartUtc == gap.FirstHourUtc));
        Assert.Equal(WarningLevel.Red, warning.PeakLevel); // three hours in a row over the limit
        Assert.NotNull(warning.CaseId);
        await RegistryBrowserTests.ShotAsync(inspector, "50-dashboard-with-case");

        await inspector.GotoAsync(factory.BaseUrl + $"/Warnings?show=all&enterpriseId={gap.EnterpriseId}");
        await Assertions.Expect(inspector.Locator($"#w{warning.Id}")).ToContainTextAsync("红色");
        await RegistryBrowserTests.ShotAsync(inspector, "51-warnings");
        await inspector.GotoAsync(factory.BaseUrl + "/Warnings/Cases");
        await Assertions.Expect(inspector.Locator("#cases")).ToContainTextAsync(gap.Enterprise);
        await RegistryBrowserTests.ShotAsync(inspector, "52-cases");
        await inspector.GotoAsync(factory.BaseUrl + $"/Warnings/Case/{warning.CaseId}");
        await Assertions.Expect(inspector.Locator("#case-state")).ToHaveTextAsync("待指派");

        // Assign: a deadline in the past is refused next to its field.
        await inspector.Locator("#inspector").SelectOptionAsync("inspect");
        await inspector.Locator("#deadline").FillAsync(BeijingTime.Today(TimeProvider.System).AddDays(-1).ToString("yyyy-MM-dd"));
        await inspector.GetByRole(AriaRole.Button, new() { Name = "指派" }).ClickAsync();
        await Assertions.Expect(inspector.Locator("#assign .error").Nth(1)).ToHaveTextAsync("办理期限不能早于今天");
        await inspector.Locator("#deadline").FillAsync(BeijingTime.Today(TimeProvider.System).AddDays(5).ToString("yyyy-MM-dd"));
        await inspector.GetByRole(AriaRole.Button, new() { Name = "指派" }).ClickAsync();
        await Assertions.Expect(inspector.Locator("#case-state")).ToHaveTextAsync("待核查");

        // On-site check with a photo.
        await inspector.Locator("#findings").FillAsync("现场检查发现脱硫塔循环泵停运，已责令立即恢复运行");
        await inspector.Locator("#check #file").SetInputFilesAsync(new FilePayload { Name = "现场照片.png", MimeType = "image/png", Buffer = Png() });
        await inspector.GetByRole(AriaRole.Button, new() { Name = "提交核查情况" }).ClickAsync();
        await Assertions.Expect(inspector.Locator("#case-state")).ToHaveTextAsync("待处理");
        await Assertions.Expect(inspector.Locator("#attachments")).ToContainTextAsync("现场照片.png");

        // Handle: a violation needs its measure.
        await inspector.Locator("input[name=outcome][value=Violation]").CheckAsync();
        await inspector.GetByRole(AriaRole.Button, new() { Name = "提交处理结果" }).ClickAsync();
        await Assertions.Expect(inspector.Locator("#handle")).ToContainTextAsync("请写明采取的措施");
        await Assertions.Expect(inspector.Locator("input[name=outcome][value=Violation]")).ToBeCheckedAsync(); // kept after the refusal
        await inspector.Locator("#measure").FillAsync("责令改正，依法处罚款");
        await inspector.GetByRole(AriaRole.Button, new() { Name = "提交处理结果" }).ClickAsync();
        await Assertions.Expect(inspector.Locator("#case-state")).ToHaveTextAsync("待确认");
        Assert.Equal(0, await inspector.Locator("#close").CountAsync()); // the inspector does not confirm his own case
        await RegistryBrowserTests.ShotAsync(inspector, "53-case-handled");

        // The monitoring station is told, and confirms.
        var station = await (await browser.NewContextAsync(new() { Locale = "zh-CN", ViewportSize = new() { Width = 1366, Height = 900 } })).NewPageAsync();
        station.Request += (_, r) => { if (!r.Url.StartsWith(factory.BaseUrl)) external.Add(r.Url); };
        await station.GotoAsync(factory.BaseUrl + "/Inbox");
        await RegistryBrowserTests.SignInAsync(station, "station");
        await Assertions.Expect(station.Locator("#messages")).ToContainTextAsync($"联动案件 {warning.CaseId}：已处理，待监测站确认");
        await station.Locator("#messages tr.unread button").First.ClickAsync();
        await Assertions.Expect(station.Locator("#case-state")).ToHaveTextAsync("待确认");
        await station.Locator("#confirmation").FillAsync("复核在线数据已恢复达标");
        await station.GetByRole(AriaRole.Button, new() { Name = "确认办结" }).ClickAsync();
        await Assertions.Expect(station.Locator("#case-state")).ToHaveTextAsync("已办结");
        await Assertions.Expect(station.Locator("#steps li")).ToHaveCountAsync(5);
        await RegistryBrowserTests.ShotAsync(station, "54-case-closed");
        Assert.Empty(external);
    }

    [Fact]
    public async Task APostDeadlineMonitoringOverTheLimitFailsTheEntryAndHandsItToInspection()
    {
        await factory.AggregatedAsync();
        await factory.Services.GetRequiredService<Zongliang.Web.Features.Warnings.WarningService>().SweepAsync(CancellationToken.None);
        var today = BeijingTime.Today(TimeProvider.System);
        var entry = await factory.QueryAsync(db => db.TreatmentEntries.SingleAsync(e => e.Deadline < today));
        var outlet = await factory.QueryAsync(db => db.Outlets.Include(o => o.Factors).FirstAsync(o => o.EnterpriseId == entry.EnterpriseId && o.Factors.Any(f => f.FactorCode == "w01018")));
        var limit = outlet.Factors.Single(f => f.FactorCode == "w01018").Limit!.Value;

        using var pw = await Playwright.CreateAsync();
        await using var browser = await RegistryBrowserTests.LaunchAsync(pw);
        var page = await browser.NewPageAsync(new() { Locale = "zh-CN", ViewportSize = new() { Width = 1366, Height = 900 } });
        var external = new List<string>();
        page.Request += (_, r) => { if (!r.Url.StartsWith(factory.BaseUrl)) external.Add(r.Url); };
        await page.GotoAsync(factory.BaseUrl + "/Supervision/Plan");
        await RegistryBrowserTests.SignInAsync(page, "station");
        await Assertions.Expect(page.Locator("#completion tr.total")).ToContainTextAsync("合计");
        await RegistryBrowserTests.ShotAsync(page, "55-supervision-plan");

        await page.GotoAsync(factory.BaseUrl + "/Treatment");
        await Assertions.Expect(page.Locator("#entries")).ToContainTextAsync("到期待监测");
        await RegistryBrowserTests.ShotAsync(page, "56-treatment");
        await page.GotoAsync(factory.BaseUrl + $"/Treatment/Entry/{entry.Id}");
        await page.GetByRole(AriaRole.Link, new() { Name = "监测任务" }).ClickAsync();
        await page.Locator("select[name=outlet]").SelectOptionAsync(outlet.Id.ToString(CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "选择" }).ClickAsync();
        await page.Locator("#sampledAt").FillAsync(BeijingTime.FromUtc(DateTime.UtcNow.AddHours(-2)).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        await page.Locator("#method").FillAsync("HJ 828-2017");
        await page.Locator("#v_w01018").FillAsync(((double)limit * 1.3).ToString("0.#", CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "保存监测结果" }).ClickAsync();
        await Assertions.Expect(page.Locator("#sample")).ToContainTextAsync("请填写监测报告编号");
        await Assertions.Expect(page.Locator("#method")).ToHaveValueAsync("HJ 828-2017"); // what was typed stays
        await page.Locator("#reportNumber").FillAsync("QCJC-DQ-9");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存监测结果" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("已移送监察部门");
        await Assertions.Expect(page.Locator("#samples")).ToContainTextAsync("超标");
        await RegistryBrowserTests.ShotAsync(page, "57-supervision-task");

        await page.GotoAsync(factory.BaseUrl + $"/Treatment/Entry/{entry.Id}");
        await Assertions.Expect(page.Locator("#entry-state")).ToHaveTextAsync("逾期未完成");
        await page.GetByRole(AriaRole.Link, new() { Name = "联动案件" }).Last.ClickAsync();
        await Assertions.Expect(page.Locator("dl.facts")).ToContainTextAsync("责令关闭");
        await Assertions.Expect(page.Locator("#case-state")).ToHaveTextAsync("待指派");
        await RegistryBrowserTests.ShotAsync(page, "58-treatment-case");
        Assert.Empty(external);
    }

    /// <summary>A 1×1 PNG.</summary>
    private static byte[] Png() => Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
}
