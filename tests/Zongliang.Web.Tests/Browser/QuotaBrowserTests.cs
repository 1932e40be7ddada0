using Microsoft.Playwright;
using Xunit;
using Zongliang.Web.Tests.Infrastructure;

namespace Zongliang.Web.Tests.Browser;

/// <summary>The ledger in Chromium: the city's table, a county's drill-down with its trend chart.</summary>
[Collection(BrowserCollection.Name)]
public sealed class QuotaBrowserTests(KestrelSqliteFactory factory) : IClassFixture<KestrelSqliteFactory>
{
    [Fact]
    public async Task TheCityOfficeReadsTheLedgerAndDrillsIntoACounty()
    {
        await factory.AggregatedAsync();
        using var pw = await Playwright.CreateAsync();
        await using var browser = await RegistryBrowserTests.LaunchAsync(pw);
        var page = await browser.NewPageAsync(new() { Locale = "zh-CN", ViewportSize = new() { Width = 1366, Height = 900 } });
        var external = new List<string>();
        page.Request += (_, r) => { if (!r.Url.StartsWith(factory.BaseUrl)) external.Add(r.Url); };
        await page.GotoAsync(factory.BaseUrl + "/Quotas/Ledger");
        await RegistryBrowserTests.SignInAsync(page, "city");

        await Assertions.Expect(page.Locator("#ledger tbody tr")).ToHaveCountAsync(12);
        await Assertions.Expect(page.Locator("#ledger tr.invalid", new() { HasText = "河西区" })).ToBeVisibleAsync();
        await RegistryBrowserTests.ShotAsync(page, "30-ledger");
        await RegistryBrowserTests.ShotAsync(page, "30-ledger");

        await page.GetByRole(AriaRole.Link, new() { Name = "河西区" }).ClickAsync();
        await Assertions.Expect(page.Locator("#trend svg")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#measures")).ToContainTextAsync("逾期未完成");
        await Assertions.Expect(page.Locator("#findings tr.invalid")).ToHaveCountAsync(4); // 河西区 is over its target (1, 2), under restriction (3) and late with a closure (4)
        await RegistryBrowserTests.ShotAsync(page, "31-ledger-region");
        await page.GotoAsync(factory.BaseUrl + "/Quotas/Registers");
        await Assertions.Expect(page.Locator("#restrictions")).ToContainTextAsync("限批中");
        await RegistryBrowserTests.ShotAsync(page, "32-registers");
        Assert.Empty(external);
    }
}
