using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Zongliang.Domain.Registry;
using Zongliang.Domain.Warnings;
using Zongliang.Web.Features.Warnings;
using Zongliang.Web.Tests.Infrastructure;

namespace Zongliang.Web.Tests.Registry;

/// <summary>What a newcomer meets first in the demo.</summary>
public sealed class DemoStoryTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task TheSeededHistoryCountsAsTheDevicesReportsSoNoneIsNeverHeardFrom()
    {
        // Issue 17: "The seeded history counts as communication: devices show their last report, and
        // "offline" only once they fall silent."
        var networked = await factory.QueryAsync(db => db.Devices.Where(d => d.State == DeviceState.Networked).Select(d => d.Id).ToListAsync());
        var heard = await factory.QueryAsync(db => db.DeviceStatuses.Select(s => s.DeviceId).ToListAsync());
        Assert.Empty(networked.Except(heard));

        var city = await factory.SignedInAsync("city");
        Assert.DoesNotContain("从未通信", await city.GetStringAsync("/"));
        Assert.Contains($"{networked.Count} / {networked.Count}", await city.GetStringAsync("/?handler=Dashboard"));
        await factory.Services.GetRequiredService<WarningService>().SweepAsync(TestContext.Current.CancellationToken);
        Assert.False(await factory.QueryAsync(db => db.Warnings.AnyAsync(w => w.Kind == WarningKind.DeviceOffline)));
    }

    [Fact]
    public async Task PercentagesReadAsChineseDocumentsWriteThem()
    {
        // Issue 17: "percentages as "51.9%" (no space)", whatever culture the server's system has.
        var dashboard = await (await factory.SignedInAsync("city")).GetStringAsync("/?handler=Dashboard");
        Assert.Matches(@"\d\.\d%", dashboard);
        Assert.DoesNotMatch(@"\d %", dashboard);
        Assert.DoesNotMatch(@"\d %", await (await factory.SignedInAsync("city")).GetStringAsync("/Registry/Progress"));
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("city")]
    [InlineData("hedong")]
    [InlineData("qiye1")]
    public async Task TheMenuLeadsToEachPageOnceAndItsOutletDataToTheLiveMonitoringList(string user)
    {
        // Issue 17: "在线监控 → 排放口数据 opens the monitoring page, not the registry list … The menu has no two
        // entries leading to the same page."
        var client = await factory.SignedInAsync(user);
        var home = await client.GetStringAsync("/");
        var menu = Regex.Match(home, "<nav class=\"menu\"[^>]*>(.*?)</nav>", RegexOptions.Singleline).Groups[1].Value;
        var links = Regex.Matches(menu, "href=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(links);
        Assert.Equal(links.Count, links.Distinct().Count());
        Assert.Contains("/Monitoring/Outlets", links);

        var list = await client.GetStringAsync("/Monitoring/Outlets");
        var outlets = Regex.Matches(list, "href=\"/Monitoring/Outlet/(\\d+)\"").Select(m => int.Parse(m.Groups[1].Value)).ToList();
        Assert.NotEmpty(outlets);
        // Each listed outlet's page shows its latest values, refreshed as data arrive.
        var page = await client.GetStringAsync($"/Monitoring/Outlet/{outlets[0]}");
        Assert.Contains($"data-stream=\"/Monitoring/Outlet/{outlets[0]}?handler=Stream\"", page);
        Assert.Contains("<div id=\"latest\"", page);
        if (user == "hedong")
        {
            var own = await factory.QueryAsync(db => db.Outlets.Where(o => o.Enterprise.Region.Code == "950102").Select(o => o.Id).ToListAsync());
            Assert.All(outlets, id => Assert.Contains(id, own));
        }
    }
}
