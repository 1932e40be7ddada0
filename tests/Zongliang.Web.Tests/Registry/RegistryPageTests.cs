using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Xunit;
using Zongliang.Web.Tests.Infrastructure;

namespace Zongliang.Web.Tests.Registry;

/// <summary>The pages as a browser gets them: sign-in, forms with messages next to fields, anti-forgery, roles.</summary>
public sealed class RegistryPageTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task AWrongPasswordIsRefusedInChinese()
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        var token = await client.FormTokenAsync("/Account/Login");
        var response = await client.PostFormAsync("/Account/Login", token, [new("UserName", "beishan"), new("Password", "wrong-Password1!")]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("用户名或密码错误", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RepeatedWrongPasswordsMakeTheNextTryFromThatAddressWaitEvenWithTheRightOne()
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        for (var i = 0; i < 5; i++)
            await client.PostAsJsonAsync("/api/v1/session", new { userName = "jingkai", password = "Wrong-pass" + i });
        var right = await client.PostAsJsonAsync("/api/v1/session", new { userName = "jingkai", password = Zongliang.Data.Seeding.DemoCity.DemoPassword });
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);

        var token = await client.FormTokenAsync("/Account/Login");
        var page = await client.PostFormAsync("/Account/Login", token, [new("UserName", "jingkai"), new("Password", Zongliang.Data.Seeding.DemoCity.DemoPassword)]);
        Assert.Contains("登录失败次数过多，请", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheRegistryApi()
    {
        var doc = await factory.CreateClient().GetJsonAsync("/openapi/v1.json");
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/enterprises", paths);
        Assert.Contains("/api/v1/devices/{id}/milestones", paths);
    }

    [Fact]
    public async Task AFormWithoutItsAntiForgeryTokenIsRejected()
    {
        var client = await factory.SignedInAsync("beishan");
        var response = await client.PostAsync("/Registry/EnterpriseEdit", new FormUrlEncodedContent([new("Input.Name", "无令牌有限公司")]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ABadFieldGetsItsMessageNextToIt()
    {
        var client = await factory.SignedInAsync("beishan");
        var token = await client.FormTokenAsync("/Registry/EnterpriseEdit");
        var region = await factory.RegionIdAsync("950121");
        var response = await client.PostFormAsync("/Registry/EnterpriseEdit", token,
            [new("Input.Name", ""), new("Input.CreditCode", "91950121MA0000001X"), new("Input.RegionId", region.ToString()), new("Input.CoalBoilers", "很多")]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Matches(new Regex("data-valmsg-for=\"Input.Name\"[^>]*>请填写单位名称<"), html);
        Assert.Matches(new Regex("data-valmsg-for=\"Input.CoalBoilers\"[^>]*>“很多”不是有效的燃煤锅炉台数<"), html);
    }

    [Fact]
    public async Task AValidFormSavesAndShowsTheNewEnterprise()
    {
        var client = await factory.SignedInAsync("baisha");
        var token = await client.FormTokenAsync("/Registry/EnterpriseEdit");
        var region = await factory.RegionIdAsync("950124");
        var code = Zongliang.Domain.Registry.Enterprise.WithCheckCharacter("91950124MA0PAGE01");
        var response = await client.PostFormAsync("/Registry/EnterpriseEdit", token,
        [
            new("Input.Name", "白沙县页面测试糖业有限公司"), new("Input.CreditCode", code), new("Input.RegionId", region.ToString()),
            new("Input.ControlLevel", "City"), new("Input.ProductionMode", "Seasonal"), new("Input.ProductionPeriods", "11-01~03-31"),
            new("Input.CoalBoilers", "2"), new("Input.CoalBoilerCapacity", "20"),
        ]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await client.GetStringAsync(response.Headers.Location!.ToString());
        Assert.Contains("白沙县页面测试糖业有限公司", page);
        Assert.Contains("季节性生产", page);
        Assert.Contains("11-01~03-31", page);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("province")]
    [InlineData("city")]
    [InlineData("station")]
    [InlineData("inspect")]
    [InlineData("supervise")]
    [InlineData("beishan")]
    [InlineData("gaoxin")]
    [InlineData("qiye1")]
    public async Task EveryRegistryPageOpensForEveryRole(string user)
    {
        var client = await factory.SignedInAsync(user);
        var device = await factory.QueryAsync(db => db.Devices.OrderBy(d => d.Id).Select(d => d.Id).FirstAsync());
        foreach (var url in new[] { "/", "/Registry/Regions", "/Registry/Enterprises", "/Registry/Outlets", "/Registry/Devices", "/Registry/Progress", "/Registry/Factors" })
        {
            var response = await client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{user} {url}: {response.StatusCode}");
            var html = await response.Content.ReadAsStringAsync();
            // Offline networks: nothing on a page may come from another host.
            Assert.DoesNotMatch(new Regex("(src|href)=\"(https?:)?//"), html);
        }
        var admin = await client.GetAsync("/System/Audit");
        Assert.Equal(user == "admin" ? HttpStatusCode.OK : HttpStatusCode.Redirect, admin.StatusCode);
        var devicePage = await client.GetAsync($"/Registry/Device/{device}");
        Assert.True(devicePage.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PagesCarryAContentSecurityPolicyThatKeepsEverythingOnThePlatform()
    {
        var response = await factory.CreateClient().GetAsync("/Account/Login");
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/health")).StatusCode);
    }
}
