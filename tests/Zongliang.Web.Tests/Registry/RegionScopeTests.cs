using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Zongliang.Data;
using Zongliang.Domain.Access;
using Zongliang.Web.Tests.Infrastructure;

namespace Zongliang.Web.Tests.Registry;

/// <summary>
/// A county user sees and changes only its own county; the city office sees its counties; an
/// enterprise sees itself. By URL, by API, by form, and at the data layer. Runs on SQLite and PostgreSQL.
/// </summary>
public abstract class RegionScopeTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : ZongliangFactory
{
    private const string Beishan = "950121", Nanhu = "950122";

    protected virtual void RequireDatabase() { }

    private Task<int> EnterpriseInAsync(string regionCode) =>
        factory.QueryAsync(db => db.Enterprises.Where(e => e.Region.Code == regionCode).OrderBy(e => e.Id).Select(e => e.Id).FirstAsync());

    private Task<int> OutletInAsync(string regionCode) =>
        factory.QueryAsync(db => db.Outlets.Where(o => o.Enterprise.Region.Code == regionCode).OrderBy(o => o.Id).Select(o => o.Id).FirstAsync());

    private Task<int> DeviceInAsync(string regionCode) =>
        factory.QueryAsync(db => db.Devices.Where(d => d.Outlet.Enterprise.Region.Code == regionCode).OrderBy(d => d.Id).Select(d => d.Id).FirstAsync());

    [Fact]
    public async Task CountyUserListsOnlyItsOwnCountysRecords()
    {
        RequireDatabase();
        var client = await factory.SignedInAsync("beishan");
        var expected = await factory.QueryAsync(db => db.Enterprises.CountAsync(e => e.Region.Code == Beishan));
        var page = await client.GetJsonAsync("/api/v1/enterprises?pageSize=200");
        Assert.Equal(expected, page.GetProperty("total").GetInt32());
        Assert.All(page.GetProperty("items").EnumerateArray(), e => Assert.Equal("北山县", e.GetProperty("regionName").GetString()));

        var devices = await client.GetJsonAsync("/api/v1/devices?pageSize=200");
        Assert.NotEqual(0, devices.GetProperty("total").GetInt32());
        Assert.All(devices.GetProperty("items").EnumerateArray(), d => Assert.Equal("北山县", d.GetProperty("regionName").GetString()));

        var progress = await client.GetJsonAsync("/api/v1/devices/progress");
        Assert.Equal("北山县", Assert.Single(progress.GetProperty("rows").EnumerateArray()).GetProperty("regionName").GetString());
    }

    [Fact]
    public async Task CountyUserCannotReadAnotherCountysRecordsByUrlOrApi()
    {
        RequireDatabase();
        var client = await factory.SignedInAsync("beishan");
        var (enterprise, outlet, device) = (await EnterpriseInAsync(Nanhu), await OutletInAsync(Nanhu), await DeviceInAsync(Nanhu));
        foreach (var url in new[]
                 {
                     $"/api/v1/enterprises/{enterprise}", $"/api/v1/outlets/{outlet}", $"/api/v1/devices/{device}",
                     $"/Registry/Enterprise/{enterprise}", $"/Registry/EnterpriseEdit/{enterprise}", $"/Registry/OutletEdit/{outlet}",
                     $"/Registry/Device/{device}", $"/Registry/DeviceEdit/{device}", $"/Monitoring/Outlet/{outlet}?handler=Readings",
                     $"/Monitoring/Outlet/{outlet}?handler=Stream",
                 })
            Assert.True(HttpStatusCode.NotFound == (await client.GetAsync(url)).StatusCode, url);

        // The own county's records are there, so the 404s above are the scope's doing.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/enterprises/{await EnterpriseInAsync(Beishan)}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/Registry/Device/{await DeviceInAsync(Beishan)}")).StatusCode);
    }

    [Fact]
    public async Task AnOutletPageIsToldOfItsOutletsNewReadingsAsTheyAreStored()
    {
        RequireDatabase();
        var client = await factory.SignedInAsync("beishan");
        var mine = await OutletInAsync(Beishan);
        using var response = await client.GetAsync($"/Monitoring/Outlet/{mine}?handler=Stream", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        async Task<string> LineAsync()
        {
            while (true)
                if (await reader.ReadLineAsync(timeout.Token) is { Length: > 0 } line) return line;
        }
        Assert.Equal(": open", await LineAsync());

        // Told when its outlet's readings are stored (the writer calls this after the commit).
        var feed = factory.Services.GetRequiredService<Zongliang.Web.Features.Ingestion.ReadingsFeed>();
        feed.Stored(mine);
        Assert.Equal("data: readings", await LineAsync());
    }

    [Fact]
    public async Task CountyUserCannotChangeAnotherCountysRecords()
    {
        RequireDatabase();
        var client = await factory.SignedInAsync("beishan");
        var enterprise = await EnterpriseInAsync(Nanhu);
        var before = await factory.QueryAsync(db => db.Enterprises.SingleAsync(e => e.Id == enterprise));
        var body = new { name = "改名企图", creditCode = before.CreditCode, regionId = before.RegionId };
        Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsJsonAsync($"/api/v1/enterprises/{enterprise}", body)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsJsonAsync($"/api/v1/outlets/{await OutletInAsync(Nanhu)}",
            new { enterpriseId = enterprise, code = "DW009", name = "改", medium = "Water" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsJsonAsync($"/api/v1/devices/{await DeviceInAsync(Nanhu)}",
            new { outletId = await OutletInAsync(Beishan), mn = "AAAA", accessPassword = "123456" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync($"/api/v1/devices/{await DeviceInAsync(Nanhu)}/milestones",
            new { milestone = "Installed", date = "2026-01-01", by = "某人" })).StatusCode);

        // And by the page's form, with a valid anti-forgery token taken from the user's own form.
        var token = await client.FormTokenAsync($"/Registry/EnterpriseEdit/{await EnterpriseInAsync(Beishan)}");
        var form = await client.PostFormAsync($"/Registry/EnterpriseEdit/{enterprise}", token,
            [new("Input.Name", "改名企图"), new("Input.CreditCode", before.CreditCode), new("Input.RegionId", before.RegionId.ToString())]);
        Assert.Equal(HttpStatusCode.NotFound, form.StatusCode);

        var after = await factory.QueryAsync(db => db.Enterprises.SingleAsync(e => e.Id == enterprise));
        Assert.Equal(before.Name, after.Name);
    }

    [Fact]
    public async Task CountyUserCannotCreateOrMoveRecordsIntoAnotherCounty()
    {
        RequireDatabase();
        var client = await factory.SignedInAsync("beishan");
        var nanhu = await factory.RegionIdAsync(Nanhu);
        var code = Zongliang.Domain.Registry.Enterprise.WithCheckCharacter("91950122MA0CXP0E1");

        var create = await client.PostAsJsonAsync("/api/v1/enterprises", new { name = "越界新建有限公司", creditCode = code, regionId = nanhu });
        Assert.Equal(HttpStatusCode.BadRequest, create.StatusCode);
        Assert.Contains("所选行政区不在您的辖区内", (await create.ErrorsAsync())["RegionId"]);

        var own = await factory.QueryAsync(db => db.Enterprises.Include(e => e.Region).FirstAsync(e => e.Region.Code == Beishan));
        var move = await client.PutAsJsonAsync($"/api/v1/enterprises/{own.Id}", new { name = own.Name, creditCode = own.CreditCode, regionId = nanhu });
        Assert.Equal(HttpStatusCode.BadRequest, move.StatusCode);

        var device = await client.PostAsJsonAsync("/api/v1/devices", new { outletId = await OutletInAsync(Nanhu), mn = "95012299999999", accessPassword = "123456" });
        Assert.Equal(HttpStatusCode.BadRequest, device.StatusCode);
        Assert.True((await device.ErrorsAsync()).ContainsKey("OutletId"));

        Assert.False(await factory.QueryAsync(db => db.Enterprises.AnyAsync(e => e.CreditCode == code)));
        Assert.Equal(own.RegionId, await factory.QueryAsync(db => db.Enterprises.Where(e => e.Id == own.Id).Select(e => e.RegionId).SingleAsync()));
    }

    [Fact]
    public async Task DataLayerRefusesAWriteOutsideTheScopeEvenWhenThePageForgetsToCheck()
    {
        RequireDatabase();
        var beishanPath = await factory.QueryAsync(db => db.Regions.Where(r => r.Code == Beishan).Select(r => r.Path).SingleAsync());
        var enterprise = await EnterpriseInAsync(Nanhu);
        await factory.WithScopeAsync(AccessScope.Region(beishanPath, "beishan"), async db =>
        {
            Assert.Null(await db.Enterprises.FirstOrDefaultAsync(e => e.Id == enterprise));
            var sneaked = await db.Enterprises.IgnoreQueryFilters().SingleAsync(e => e.Id == enterprise);
            sneaked.Name = "绕过筛选";
            await Assert.ThrowsAsync<ScopeViolationException>(() => db.SaveChangesAsync());
        });
    }

    [Fact]
    public async Task ChildRecordsTakeTheirParentsScopeForReadingAndWriting()
    {
        // Issue: "several entities fall through to 'allowed' (_ => true) and attachments have no read filter".
        RequireDatabase();
        var nanhu = await factory.RegionIdAsync(Nanhu);
        var task = await factory.QueryAsync(db => db.ComparisonTasks.Where(t => db.Outlets.Any(o => o.Id == t.OutletId && o.Enterprise.Region.Code == Nanhu)).Select(t => t.Id).FirstAsync());
        var application = await factory.QueryAsync(async db =>
        {
            var route = new Zongliang.Domain.Quotas.Route(["county"], "county", false, "test");
            var (a, _) = Zongliang.Domain.Quotas.VerificationApplication.Submit(nanhu, "南湖附件项目", "南湖附件有限公司", Zongliang.Domain.Quotas.EiaKind.Form,
                Zongliang.Domain.Quotas.ApprovalLevel.County, new Dictionary<string, decimal> { ["cod"] = 1 }, "区域剩余容量", route, "nanhu", DateTime.UtcNow);
            db.VerificationApplications.Add(a!);
            await db.SaveChangesAsync();
            var (attachment, _) = Zongliang.Domain.Quotas.ApplicationAttachment.Add(a!, "环评批复.pdf", [1, 2, 3], "nanhu", DateTime.UtcNow);
            db.ApplicationAttachments.Add(attachment!);
            await db.SaveChangesAsync();
            return a!;
        });
        var beishanPath = await factory.QueryAsync(db => db.Regions.Where(r => r.Code == Beishan).Select(r => r.Path).SingleAsync());
        await factory.WithScopeAsync(AccessScope.Region(beishanPath, "beishan"), async db =>
        {
            Assert.False(await db.ApplicationAttachments.AnyAsync(x => x.ApplicationId == application.Id));
            Assert.False(await db.Set<Zongliang.Domain.Quotas.ApplicationAmount>().AnyAsync(x => x.ApplicationId == application.Id));
            var sneaked = await db.ComparisonTasks.IgnoreQueryFilters().Include(t => t.Samples).SingleAsync(t => t.Id == task);
            Assert.True(sneaked.AddSample("w01018", DateTime.UtcNow.AddHours(-1), 30, "HJ 828-2017", DateTime.UtcNow).Succeeded);
            await Assert.ThrowsAsync<ScopeViolationException>(() => db.SaveChangesAsync());
        });
    }

    [Fact]
    public async Task MonitoringDataAndOfflineDevicesOfAnotherCountyStayHidden()
    {
        RequireDatabase();
        var (nanhuDevice, nanhuMn, nanhuOutlet) = await factory.QueryAsync(db => db.Devices
            .Where(d => d.Outlet.Enterprise.Region.Code == Nanhu && d.State == Zongliang.Domain.Registry.DeviceState.Networked)
            .Select(d => new ValueTuple<int, string, int>(d.Id, d.Mn, d.OutletId)).FirstAsync());
        await factory.QueryAsync(async db =>
        {
            db.Readings.Add(new Zongliang.Domain.Monitoring.Reading { OutletId = nanhuOutlet, FactorCode = "w01018", Kind = Zongliang.Domain.Monitoring.ReadingKind.Hour, TimeUtc = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), Value = 1, Flag = "N" });
            db.RawPackets.Add(new Zongliang.Domain.Monitoring.RawPacket { DeviceId = nanhuDevice, Seq = 1, ReceivedAtUtc = DateTime.UtcNow, Peer = "test", Cn = 2061, Frame = [1], PrevHash = new byte[32], Hash = new byte[32] });
            return await db.SaveChangesAsync();
        });
        var beishanPath = await factory.QueryAsync(db => db.Regions.Where(r => r.Code == Beishan).Select(r => r.Path).SingleAsync());
        await factory.WithScopeAsync(AccessScope.Region(beishanPath, "beishan"), async db =>
        {
            Assert.False(await db.Readings.AnyAsync(r => r.OutletId == nanhuOutlet));
            Assert.False(await db.RawPackets.AnyAsync(p => p.DeviceId == nanhuDevice));
        });

        // The demo's devices reported when it was loaded: the Nanhu device and one of Beishan's fall silent.
        var beishanDevice = await factory.QueryAsync(db => db.Devices
            .Where(d => d.Outlet.Enterprise.Region.Code == Beishan && d.State == Zongliang.Domain.Registry.DeviceState.Networked).Select(d => d.Id).FirstAsync());
        await factory.QueryAsync(db => db.DeviceStatuses.Where(s => s.DeviceId == nanhuDevice || s.DeviceId == beishanDevice)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSeenUtc, DateTime.UtcNow.AddHours(-3))));
        var county = await factory.SignedInAsync("beishan");
        var home = await county.GetStringAsync("/");
        Assert.Contains("离线设备", home); // its own silent device
        Assert.DoesNotContain(nanhuMn, home);
        Assert.Contains(nanhuMn, await (await factory.SignedInAsync("city")).GetStringAsync("/"));
    }

    [Fact]
    public async Task CityOfficeSeesEveryCountyAndAnEnterpriseOnlyItself()
    {
        RequireDatabase();
        var all = await factory.QueryAsync(db => db.Enterprises.CountAsync());
        var city = await factory.SignedInAsync("city");
        Assert.Equal(all, (await city.GetJsonAsync("/api/v1/enterprises?pageSize=200")).GetProperty("total").GetInt32());
        Assert.Equal(11, (await city.GetJsonAsync("/api/v1/devices/progress")).GetProperty("rows").GetArrayLength());

        var qiye = await factory.SignedInAsync("qiye1");
        var own = await qiye.GetJsonAsync("/api/v1/enterprises");
        var only = Assert.Single(own.GetProperty("items").EnumerateArray());
        var other = await EnterpriseInAsync(Nanhu);
        if (only.GetProperty("id").GetInt32() == other) other = await EnterpriseInAsync(Beishan);
        Assert.Equal(HttpStatusCode.NotFound, (await qiye.GetAsync($"/api/v1/enterprises/{other}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await qiye.PutAsJsonAsync($"/api/v1/enterprises/{only.GetProperty("id").GetInt32()}", new { name = "x" })).StatusCode);
    }

    [Fact]
    public async Task RolesWithoutRegistryRightsAreRefusedAndStrangersMustSignIn()
    {
        RequireDatabase();
        var inspect = await factory.SignedInAsync("inspect");
        var enterprise = await factory.QueryAsync(db => db.Enterprises.FirstAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await inspect.PutAsJsonAsync($"/api/v1/enterprises/{enterprise.Id}",
            new { name = enterprise.Name, creditCode = enterprise.CreditCode, regionId = enterprise.RegionId })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await inspect.PostAsJsonAsync($"/api/v1/devices/{await DeviceInAsync(Beishan)}/milestones",
            new { milestone = "Installed", date = "2026-01-01", by = "某人" })).StatusCode);

        var county = await factory.SignedInAsync("beishan");
        foreach (var adminOnly in new[] { "/System/Audit", "/System/Users", "/Registry/FactorEdit", "/Registry/RegionEdit" })
        {
            var refused = await county.GetAsync(adminOnly);
            Assert.True(HttpStatusCode.Redirect == refused.StatusCode, adminOnly);
            Assert.StartsWith("/Account/AccessDenied", refused.Headers.Location!.PathAndQuery);
        }
        // Read-only roles do not get the registry's forms either.
        foreach (var form in new[] { "/Registry/EnterpriseEdit", "/Registry/DeviceEdit" })
        {
            var refused = await inspect.GetAsync(form);
            Assert.True(HttpStatusCode.Redirect == refused.StatusCode, form);
            Assert.StartsWith("/Account/AccessDenied", refused.Headers.Location!.PathAndQuery);
        }

        var stranger = factory.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/v1/enterprises")).StatusCode);
        var page = await stranger.GetAsync("/Registry/Enterprises");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/Account/Login", page.Headers.Location!.PathAndQuery);
    }
}

public sealed class RegionScopeTestsOnSqlite(SqliteFactory factory) : RegionScopeTests<SqliteFactory>(factory);

public sealed class RegionScopeTestsOnPostgreSql(PostgreSqlFactory factory) : RegionScopeTests<PostgreSqlFactory>(factory)
{
    protected override void RequireDatabase() => PostgreSqlFactory.SkipUnlessAvailable();
}
