using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit;
using Zongliang.Data.Seeding;
using Zongliang.Web.Tests.Infrastructure;

namespace Zongliang.Web.Tests.Browser;

/// <summary>
/// Debian's Chromium driven by Playwright: sign in, browse the registry, move a device through its
/// lifecycle and see the county's progress change. Screenshots go to ZL_SCREENSHOTS when it is set.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RegistryBrowserTests(KestrelSqliteFactory factory) : IClassFixture<KestrelSqliteFactory>
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly string? ShotDir = Environment.GetEnvironmentVariable("ZL_SCREENSHOTS");

    internal static async Task<IBrowser> LaunchAsync(IPlaywright pw)
    {
        if (!File.Exists(Chromium))
        {
            if (Environment.GetEnvironmentVariable("ZL_REQUIRE_BROWSER") == "1") Assert.Fail($"{Chromium} is missing");
            Assert.Skip($"{Chromium} is not installed (apt-get install chromium)");
        }
        return await pw.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    internal static async Task ShotAsync(IPage page, string name)
    {
        if (string.IsNullOrEmpty(ShotDir)) return;
        Directory.CreateDirectory(ShotDir);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ShotDir, name + ".png"), FullPage = true });
    }

    internal static async Task SignInAsync(IPage page, string user)
    {
        await page.Locator("#UserName").FillAsync(user);
        await page.Locator("#Password").FillAsync(DemoCity.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
    }

    private static async Task<int> InstalledInProgressAsync(IPage page, string baseUrl, string county)
    {
        await page.GotoAsync(baseUrl + "/Registry/Progress");
        var row = page.Locator("#progress tbody tr", new() { HasText = county });
        return int.Parse(await row.Locator("td").Nth(2).InnerTextAsync());
    }

    [Fact]
    public async Task ACountyOfficerBrowsesTheRegistryAndNetworksADevice()
    {
        using var pw = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(pw);
        var baseUrl = factory.BaseUrl;
        var page = await browser.NewPageAsync(new() { Locale = "zh-CN", ViewportSize = new() { Width = 1366, Height = 900 } });
        var external = new List<string>();
        page.Request += (_, r) => { if (!r.Url.StartsWith(baseUrl)) external.Add(r.Url); };

        await page.GotoAsync(baseUrl + "/Registry/Enterprises");
        Assert.Contains("/Account/Login", page.Url);
        await ShotAsync(page, "01-login");
        await SignInAsync(page, "linchuan");
        await page.WaitForURLAsync(new Regex("/Registry/Enterprises"));

        var regions = await page.Locator("table.grid tbody tr td:nth-child(3)").AllInnerTextsAsync();
        Assert.NotEmpty(regions);
        Assert.All(regions, r => Assert.Equal("临川县", r));
        await ShotAsync(page, "02-enterprises");

        await page.Locator("table.grid tbody tr td a").First.ClickAsync();
        await Assertions.Expect(page.Locator("h2", new() { HasText = "排放口" })).ToBeVisibleAsync();
        await ShotAsync(page, "03-enterprise");

        var installedBefore = await InstalledInProgressAsync(page, baseUrl, "临川县");
        await ShotAsync(page, "04-progress");

        await page.GotoAsync(baseUrl + "/Registry/Devices?state=Registered");
        await ShotAsync(page, "05-devices");
        await page.Locator("table.grid tbody tr td.mono a").First.ClickAsync();
        await page.Locator("#Input_By").FillAsync("临川县 吴婷");
        await page.GetByRole(AriaRole.Button, new() { Name = "确认安装" }).ClickAsync();
        await Assertions.Expect(page.Locator("#state")).ToHaveTextAsync("已安装");
        await Assertions.Expect(page.Locator(".notice")).ToHaveTextAsync("已登记安装");
        await ShotAsync(page, "06-device-installed");

        Assert.Equal(installedBefore + 1, await InstalledInProgressAsync(page, baseUrl, "临川县"));
        Assert.Empty(external);
    }

    [Fact]
    public async Task ABadFieldShowsItsMessageNextToItInTheBrowser()
    {
        using var pw = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(pw);
        var baseUrl = factory.BaseUrl;
        var page = await browser.NewPageAsync(new() { Locale = "zh-CN", ViewportSize = new() { Width = 1366, Height = 900 } });
        await page.GotoAsync(baseUrl + "/Registry/EnterpriseEdit");
        await SignInAsync(page, "admin");
        await page.WaitForURLAsync(new Regex("/Registry/EnterpriseEdit"));
        await page.Locator("#Input_CreditCode").FillAsync("91950125MA0000001X");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        var nameError = page.Locator("[data-valmsg-for='Input.Name']");
        await Assertions.Expect(nameError).ToHaveTextAsync("请填写单位名称");
        await Assertions.Expect(page.Locator("[data-valmsg-for='Input.RegionId']")).ToHaveTextAsync("请选择所属行政区");
        await ShotAsync(page, "07-form-errors");

        // Pages an administrator has besides the registry.
        await page.GotoAsync(baseUrl + "/System/Audit");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("审计日志");
        await ShotAsync(page, "08-audit");
        await page.GotoAsync(baseUrl + "/Registry/Factors");
        await ShotAsync(page, "09-factors");
        await page.GotoAsync(baseUrl + "/");
        await ShotAsync(page, "10-home-admin");
    }

    [Fact]
    public async Task ALoggersReportShowsOnItsOutletAndDevicePages()
    {
        using var pw = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(pw);
        var baseUrl = factory.BaseUrl;
        var device = await factory.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(
            db.Devices.Where(d => d.State == Zongliang.Domain.Registry.DeviceState.Networked && d.Mn.Length == 24 && d.Outlet.Medium == Zongliang.Domain.Registry.Medium.Water)
                .Select(d => new { d.Id, d.OutletId, d.Mn, d.AccessPassword })));
        await using (var logger = await LoggerClient.ConnectAsync(factory.Hj212Port))
        {
            var now = DateTime.UtcNow.AddHours(8);
            var minute = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute / 10 * 10, 0);
            await logger.SendAsync(Zongliang.Hj212.Hj212Writer.Segment(Zongliang.Hj212.Hj212Number.FormatQn(now), "32", "2051", device.AccessPassword, device.Mn, 5,
                $"DataTime={Zongliang.Hj212.Hj212Number.FormatTime(minute)};w01018-Avg=48.75,w01018-Flag=N;w21003-Avg=99.5,w21003-Flag=D;w00000-Cou=7.2,w00000-Flag=N"));
            Assert.Equal("9014", (await logger.ReceiveAsync())!.Cn);
        }

        var page = await browser.NewPageAsync(new() { Locale = "zh-CN", ViewportSize = new() { Width = 1366, Height = 900 } });
        await page.GotoAsync(baseUrl + $"/Monitoring/Outlet/{device.OutletId}");
        await SignInAsync(page, "city");
        await page.WaitForURLAsync(new Regex("/Monitoring/Outlet/"));
        var cod = page.Locator("table.readings tr", new() { HasText = "化学需氧量" });
        await Assertions.Expect(cod).ToContainTextAsync("48.75");
        var nh3 = page.Locator("table.readings tr", new() { HasText = "氨氮" });
        await Assertions.Expect(nh3.Locator(".flag")).ToHaveTextAsync("D");
        await Assertions.Expect(nh3.Locator("td.over")).ToHaveCountAsync(1); // 99.5 is over any ammonia limit in the demo city
        await ShotAsync(page, "11-outlet-readings");

        // With the page open, a new report shows without reloading it.
        await using (var logger = await LoggerClient.ConnectAsync(factory.Hj212Port))
        {
            var now = DateTime.UtcNow.AddHours(8);
            await logger.SendAsync(Zongliang.Hj212.Hj212Writer.Segment(Zongliang.Hj212.Hj212Number.FormatQn(now), "32", "2011", device.AccessPassword, device.Mn, 5,
                $"DataTime={Zongliang.Hj212.Hj212Number.FormatTime(now)};w01018-Rtd=31.25,w01018-Flag=N"));
            Assert.Equal("9014", (await logger.ReceiveAsync())!.Cn);
        }
        await Assertions.Expect(cod).ToContainTextAsync("31.25", new() { Timeout = 10_000 });

        await page.GotoAsync(baseUrl + $"/Registry/Device/{device.Id}");
        await Assertions.Expect(page.Locator("#online")).ToHaveTextAsync("在线");
        await ShotAsync(page, "12-device-online");
    }
}
