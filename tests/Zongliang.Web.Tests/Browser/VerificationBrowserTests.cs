using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit;
using Zongliang.Web.Tests.Infrastructure;

namespace Zongliang.Web.Tests.Browser;

/// <summary>One application walked through county → city → province to its PDF document, and one blocked by a refusal condition, in Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class VerificationBrowserTests(KestrelSqliteFactory factory) : IClassFixture<KestrelSqliteFactory>
{
    private async Task<IPage> SignedInPageAsync(IBrowser browser, string user, string path)
    {
        var context = await browser.NewContextAsync(new() { Locale = "zh-CN", ViewportSize = new() { Width = 1366, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(factory.BaseUrl + path);
        await RegistryBrowserTests.SignInAsync(page, user);
        await page.WaitForURLAsync(new Regex(Regex.Escape(path)));
        return page;
    }

    private static async Task ApplyAsync(IPage page, string region, string project, string approval, string eia, string cod, string so2)
    {
        await page.Locator("#Input_RegionId").SelectOptionAsync(new SelectOptionValue { Label = region });
        await page.Locator("#Input_Project").FillAsync(project);
        await page.Locator("#Input_Investor").FillAsync(project + "有限公司");
        await page.Locator("#Input_Eia").SelectOptionAsync(eia);
        await page.Locator("#Input_Approval").SelectOptionAsync(approval);
        await page.Locator("#Input_Cod").FillAsync(cod);
        await page.Locator("#Input_So2").FillAsync(so2);
        await page.Locator("#Input_QuotaSource").FillAsync("区域剩余容量");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交申请" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/Quotas/Application/\\d+"));
    }

    private static async Task AgreeAsync(IPage page, string opinion)
    {
        await page.Locator("#Input_Opinion").FillAsync(opinion);
        await page.GetByRole(AriaRole.Button, new() { Name = "提交审核意见" }).ClickAsync();
    }

    [Fact]
    public async Task AProvinceApprovedProjectGoesCountyCityProvinceToItsDocument()
    {
        using var pw = await Playwright.CreateAsync();
        await using var browser = await RegistryBrowserTests.LaunchAsync(pw);
        var county = await SignedInPageAsync(browser, "linchuan", "/Quotas/Applications");
        await ApplyAsync(county, "临川县", "临川县热电联产项目", "Province", "Book", "8", "25");
        await Assertions.Expect(county.Locator(".notice")).ToContainTextAsync("县（区）环保局 → 市总量办 → 省总量办");
        var url = county.Url;
        await RegistryBrowserTests.ShotAsync(county, "40-application-county");
        await AgreeAsync(county, "初步核查：项目位于工业园区，同意上报");
        await Assertions.Expect(county.Locator("#state")).ToContainTextAsync("待市总量办审核");

        var city = await SignedInPageAsync(browser, "city", new Uri(url).PathAndQuery);
        await AgreeAsync(city, "初步核定意见：同意");
        await Assertions.Expect(city.Locator("#state")).ToContainTextAsync("待省总量办审核");

        var province = await SignedInPageAsync(browser, "province", new Uri(url).PathAndQuery);
        await AgreeAsync(province, "认定同意，出具核定文件");
        await Assertions.Expect(province.Locator("#document")).ToContainTextAsync("河环总量核〔");
        await RegistryBrowserTests.ShotAsync(province, "41-application-issued");
        var pdf = await province.APIRequest.GetAsync(factory.BaseUrl + new Uri(url).AbsolutePath + "/Document");
        Assert.Equal("application/pdf", pdf.Headers["content-type"]);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString((await pdf.BodyAsync())[..4]));
    }

    [Fact]
    public async Task AnApplicationFromARestrictedRegionShowsWhyItIsBlocked()
    {
        using var pw = await Playwright.CreateAsync();
        await using var browser = await RegistryBrowserTests.LaunchAsync(pw);
        var page = await SignedInPageAsync(browser, "hexi", "/Quotas/Applications");
        await ApplyAsync(page, "河西区", "河西区印染扩建项目", "City", "Form", "3", "1");

        await Assertions.Expect(page.Locator("#findings tr.invalid").First).ToBeVisibleAsync();
        await AgreeAsync(page, "同意");

        await Assertions.Expect(page.Locator("#review [data-valmsg-for='Input.Decision']")).ToContainTextAsync("存在不予核定情形");
        await Assertions.Expect(page.Locator("#findings")).ToContainTextAsync("青环限批");
        await RegistryBrowserTests.ShotAsync(page, "42-application-blocked");
    }
}
