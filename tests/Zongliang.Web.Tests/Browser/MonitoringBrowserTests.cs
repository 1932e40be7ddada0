using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;
using Zongliang.Domain.Monitoring;
using Zongliang.Domain.Monitoring.Validity;
using Zongliang.Web.Tests.Infrastructure;
using Zongliang.Domain.Common;

namespace Zongliang.Web.Tests.Browser;

/// <summary>The outlet data page in Chromium: the chart draws from the platform's own ECharts, nothing comes from elsewhere.</summary>
[Collection(BrowserCollection.Name)]
public sealed class MonitoringBrowserTests(KestrelSqliteFactory factory) : IClassFixture<KestrelSqliteFactory>
{
    [Fact]
    public async Task TheOutletPageDrawsItsChartAndTheAuditChangesTheTable()
    {
        await factory.AggregatedAsync();
        var hour = await factory.QueryAsync(db => db.HourAggregates
            .Where(h => h.Mass == MassSource.Substituted && db.Outlets.Any(o => o.Id == h.OutletId && o.Enterprise.Region.Code == "950125"))
            .OrderBy(h => h.HourUtc).FirstAsync());
        var day = BeijingTime.Date(hour.HourUtc);

        using var pw = await Playwright.CreateAsync();
        await using var browser = await RegistryBrowserTests.LaunchAsync(pw);
        var page = await browser.NewPageAsync(new() { Locale = "zh-CN", ViewportSize = new() { Width = 1366, Height = 900 } });
        var external = new List<string>();
        page.Request += (_, r) => { if (!r.Url.StartsWith(factory.BaseUrl)) external.Add(r.Url); };
        await page.GotoAsync(factory.BaseUrl + $"/Monitoring/Outlet/{hour.OutletId}?factor={hour.FactorCode}&day={day:yyyy-MM-dd}");
        await RegistryBrowserTests.SignInAsync(page, "linchuan");

        await Assertions.Expect(page.Locator("#chart svg")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#hours tbody tr")).Not.ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#hours")).ToContainTextAsync("补遗");
        await RegistryBrowserTests.ShotAsync(page, "20-outlet-data");

        await page.Locator("#Input_Period").SelectOptionAsync("day");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交审核结论" }).ClickAsync();
        await Assertions.Expect(page.Locator("#audit [data-valmsg-for=\"Input.Reason\"]")).ToHaveTextAsync("请写明审核理由");
        await page.Locator("#Input_Reason").FillAsync("停产检修，数据不参与统计");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交审核结论" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("已记录审核结论");
        await Assertions.Expect(page.Locator("#decisions")).ToContainTextAsync("停产检修");
        await RegistryBrowserTests.ShotAsync(page, "21-outlet-audited");
        Assert.Empty(external);
    }

    [Fact]
    public async Task TheAuditorsPagesRenderInChromiumWithoutOutsideRequests()
    {
        await factory.AggregatedAsync();
        for (var i = 0; i < 600 && !await factory.QueryAsync(db => db.ComparisonTasks.AnyAsync()); i++)
            await Task.Delay(100);
        var task = await factory.QueryAsync(db => db.ComparisonTasks.Where(t => db.Outlets.Any(o => o.Id == t.OutletId && o.Enterprise.Region.Code == "950125")).Select(t => t.Id).FirstAsync());

        using var pw = await Playwright.CreateAsync();
        await using var browser = await RegistryBrowserTests.LaunchAsync(pw);
        var page = await browser.NewPageAsync(new() { Locale = "zh-CN", ViewportSize = new() { Width = 1366, Height = 900 } });
        var external = new List<string>();
        page.Request += (_, r) => { if (!r.Url.StartsWith(factory.BaseUrl)) external.Add(r.Url); };
        await page.GotoAsync(factory.BaseUrl + "/Monitoring/Workbench");
        // The monitoring station: it records the comparison samples (the counties follow the tasks).
        await RegistryBrowserTests.SignInAsync(page, "station");

        await Assertions.Expect(page.Locator("#pending tbody tr").First).ToBeVisibleAsync();
        await RegistryBrowserTests.ShotAsync(page, "22-workbench");
        await page.GotoAsync(factory.BaseUrl + "/Monitoring/Comparisons");
        await Assertions.Expect(page.Locator("#comparisons")).ToContainTextAsync("待比对");
        await RegistryBrowserTests.ShotAsync(page, "23-comparisons");
        await page.GotoAsync(factory.BaseUrl + $"/Monitoring/Comparison/{task}");
        await Assertions.Expect(page.Locator("#sample")).ToBeVisibleAsync();
        await RegistryBrowserTests.ShotAsync(page, "24-comparison");
        await page.GotoAsync(factory.BaseUrl + "/Monitoring/Assessment");
        await Assertions.Expect(page.Locator("#counties")).ToContainTextAsync("临川县");
        await RegistryBrowserTests.ShotAsync(page, "25-assessment");
        await page.GotoAsync(factory.BaseUrl + "/Monitoring/Notices");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("停产与检修报备");
        await RegistryBrowserTests.ShotAsync(page, "26-notices");
        Assert.Empty(external);
    }
}
