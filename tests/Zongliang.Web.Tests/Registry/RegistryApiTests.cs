using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xunit;
using Zongliang.Domain.Registry;
using Zongliang.Web.Tests.Infrastructure;

namespace Zongliang.Web.Tests.Registry;

/// <summary>Registry writes through the API: validation, audit, device lifecycle and progress. Runs on SQLite and PostgreSQL.</summary>
public abstract class RegistryApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : ZongliangFactory
{
    protected virtual void RequireDatabase() { }

    [Fact]
    public async Task SigningInWithoutANameOrPasswordIsAFieldMessageNotA500()
    {
        RequireDatabase();
        var client = factory.CreateClient();
        foreach (var body in new[] { "{}", "{\"userName\":null,\"password\":null}", "null" })
        {
            var response = await client.PostAsync("/api/v1/session", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    [Fact]
    public async Task CreatingAndEditingAnEnterpriseIsAuditedWithWhoAndTheValues()
    {
        RequireDatabase();
        var client = await factory.SignedInAsync("city");
        var region = await factory.RegionIdAsync("950123");
        var code = Enterprise.WithCheckCharacter("91950123MA0A0DT01");
        var created = await client.PostAsJsonAsync("/api/v1/enterprises",
            new { name = "青川市审计测试有限公司", creditCode = code, regionId = region, industry = "造纸", controlLevel = "Provincial" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.JsonAsync()).GetProperty("id").GetString();

        var updated = await client.PutAsJsonAsync($"/api/v1/enterprises/{id}",
            new { name = "青川市审计测试股份有限公司", creditCode = code, regionId = region, industry = "造纸", controlLevel = "Provincial" });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);

        var entries = await factory.QueryAsync(db => db.AuditEntries.Where(a => a.Entity == "Enterprise" && a.Key == id).OrderBy(a => a.Id).ToListAsync());
        Assert.Equal(["Added", "Modified"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal("city", e.Actor));
        Assert.Equal("青川市审计测试有限公司", JsonDocument.Parse(entries[0].After).RootElement.GetProperty("Name").GetString());
        var before = JsonDocument.Parse(entries[1].Before).RootElement;
        var after = JsonDocument.Parse(entries[1].After).RootElement;
        Assert.Equal("青川市审计测试有限公司", before.GetProperty("Name").GetString());
        Assert.Equal("青川市审计测试股份有限公司", after.GetProperty("Name").GetString());
        Assert.False(after.TryGetProperty("Industry", out _), "unchanged fields are not logged as changes");
    }

    [Fact]
    public async Task InvalidInputGetsChineseMessagesPerField()
    {
        RequireDatabase();
        var client = await factory.SignedInAsync("beishan");
        var region = await factory.RegionIdAsync("950121");
        var bad = await client.PostAsJsonAsync("/api/v1/enterprises",
            new { name = "", creditCode = "91950121MA0000001X", regionId = region, productionMode = "Seasonal", productionPeriods = "冬季" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = await bad.ErrorsAsync();
        Assert.Contains("请填写单位名称", errors["Name"]);

        var wrongCheck = await client.PostAsJsonAsync("/api/v1/enterprises",
            new { name = "校验测试有限公司", creditCode = "91950121MA0000001X", regionId = region, productionMode = "Seasonal", productionPeriods = "冬季" });
        errors = await wrongCheck.ErrorsAsync();
        Assert.Contains("统一社会信用代码校验位不正确", errors["CreditCode"]);
        Assert.Contains("月-日~月-日", Assert.Single(errors["ProductionPeriods"]));

        // A credit code registered in another county is still a duplicate, though this user cannot see it.
        var taken = await factory.QueryAsync(db => db.Enterprises.Where(e => e.Region.Code == "950122").Select(e => e.CreditCode).FirstAsync());
        var duplicate = await client.PostAsJsonAsync("/api/v1/enterprises", new { name = "重复代码有限公司", creditCode = taken, regionId = region });
        Assert.Contains("该统一社会信用代码已登记", (await duplicate.ErrorsAsync())["CreditCode"]);
    }

    [Fact]
    public async Task AnOutletKeepsItsFactorsAndLimitsAndRefusesFactorsOfTheOtherMedium()
    {
        RequireDatabase();
        var client = await factory.SignedInAsync("beishan");
        var enterprise = await factory.QueryAsync(db => db.Enterprises.Where(e => e.Region.Code == "950121").Select(e => e.Id).FirstAsync());
        var wrong = await client.PostAsJsonAsync("/api/v1/outlets", new
        {
            enterpriseId = enterprise, code = "DW077", name = "雨水排口", medium = "Water",
            factors = new object[] { new { factorCode = "w01018", limit = 60 }, new { factorCode = "a21026", limit = 50 } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("二氧化硫不是废水因子", (await wrong.ErrorsAsync())["Factors[1].FactorCode"]);

        var created = await client.PostAsJsonAsync("/api/v1/outlets", new
        {
            enterpriseId = enterprise, code = "DW077", name = "雨水排口", medium = "Water", standard = "GB 8978-1996",
            factors = new object[] { new { factorCode = "w00000" }, new { factorCode = "w01018", limit = 60.5 }, new { factorCode = "w21003", limit = 8 } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var outlet = await client.GetJsonAsync(created.Headers.Location!.ToString());
        var limits = outlet.GetProperty("factors").EnumerateArray().ToDictionary(f => f.GetProperty("factorCode").GetString()!, f => f.GetProperty("limit"));
        Assert.Equal(60.5m, limits["w01018"].GetDecimal());
        Assert.Equal(JsonValueKind.Null, limits["w00000"].ValueKind);
        Assert.Equal(3, limits.Count);
    }

    [Fact]
    public async Task MovingADeviceThroughItsLifecycleChangesTheCountyProgress()
    {
        RequireDatabase();
        var county = await factory.SignedInAsync("nanhu");
        var device = await factory.QueryAsync(db => db.Devices
            .Where(d => d.Outlet.Enterprise.Region.Code == "950122" && d.State == DeviceState.Registered).Select(d => d.Id).FirstAsync());

        async Task<JsonElement> NanhuRow() => (await county.GetJsonAsync("/api/v1/devices/progress")).GetProperty("rows")[0];
        var before = await NanhuRow();

        var skip = await county.PostAsJsonAsync($"/api/v1/devices/{device}/milestones", new { milestone = "Networked", date = "2026-01-02", by = "南湖县 吴婷" });
        Assert.Equal(HttpStatusCode.BadRequest, skip.StatusCode);
        Assert.Contains("当前应先安装，不能直接联网", (await skip.ErrorsAsync())["Milestone"]);

        var install = await county.PostAsJsonAsync($"/api/v1/devices/{device}/milestones", new { milestone = "Installed", date = "2026-01-02", by = "南湖县 吴婷" });
        Assert.Equal(HttpStatusCode.OK, install.StatusCode);
        // The monitoring station accepts devices too.
        var station = await factory.SignedInAsync("station");
        var accept = await station.PostAsJsonAsync($"/api/v1/devices/{device}/milestones", new { milestone = "Accepted", date = "2026-01-20", by = "市监测站 王强" });
        Assert.Equal(HttpStatusCode.OK, accept.StatusCode);

        var after = await NanhuRow();
        Assert.Equal(before.GetProperty("installed").GetInt32() + 1, after.GetProperty("installed").GetInt32());
        Assert.Equal(before.GetProperty("accepted").GetInt32() + 1, after.GetProperty("accepted").GetInt32());
        Assert.Equal(before.GetProperty("networked").GetInt32(), after.GetProperty("networked").GetInt32());
        var saved = await county.GetJsonAsync($"/api/v1/devices/{device}");
        Assert.Equal("Accepted", saved.GetProperty("state").GetString());
        Assert.Equal("市监测站 王强", saved.GetProperty("acceptedBy").GetString());
        Assert.False(saved.TryGetProperty("accessPassword", out _), "the API does not hand out device passwords");
    }
}

public sealed class RegistryApiTestsOnSqlite(SqliteFactory factory) : RegistryApiTests<SqliteFactory>(factory);

public sealed class RegistryApiTestsOnPostgreSql(PostgreSqlFactory factory) : RegistryApiTests<PostgreSqlFactory>(factory)
{
    protected override void RequireDatabase() => PostgreSqlFactory.SkipUnlessAvailable();
}
