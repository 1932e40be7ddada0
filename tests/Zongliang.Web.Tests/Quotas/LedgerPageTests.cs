using System.Net;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using Xunit;
using Zongliang.Domain.Access;
using Zongliang.Domain.Quotas;
using Zongliang.Web.Features.Quotas;
using Zongliang.Web.Tests.Infrastructure;

namespace Zongliang.Web.Tests.Quotas;

/// <summary>The demo city's ledger through the pages: scope, the city as the sum of its counties, confirming a measure, the Excel file.</summary>
public abstract class LedgerPageTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : ZongliangFactory
{
    protected virtual void RequireDatabase() { }

    private static int Year => DateTime.UtcNow.AddHours(8).Year;

    [Fact]
    public async Task TheCityOfficeSeesEveryCountyAndTheirSumACountyOnlyItself()
    {
        RequireDatabase();
        var city = await factory.SignedInAsync("city");
        var county = await factory.SignedInAsync("linchuan");

        var all = await city.GetStringAsync($"/Quotas/Ledger?year={Year}&pollutant=cod");
        var own = await county.GetStringAsync($"/Quotas/Ledger?year={Year}&pollutant=cod");

        Assert.Contains("全市合计", all);
        Assert.Contains("河西区", all);
        Assert.Contains("超出目标", all); // the demo's 河西区 is over its target
        Assert.Contains("临川县", own);
        Assert.DoesNotContain("河西区", own);
        Assert.DoesNotContain("全市合计", own);

        // The city's headroom on the page is the sum of the counties' (computed here from the records).
        var lines = await factory.QueryAsync(async db =>
        {
            var targets = await db.RegionTargets.Where(t => t.Year == Year && t.Pollutant == "cod").ToListAsync();
            var increments = await db.QuotaIncrements.Where(i => i.Year == Year && i.Pollutant == "cod").ToListAsync();
            var measures = await db.ReductionMeasures.Where(m => m.Year == Year && m.Pollutant == "cod").ToListAsync();
            return targets.Select(t => LedgerLine.For(t, increments, measures)).ToList();
        });
        Assert.Equal(11, lines.Count);
        Assert.Contains(LedgerModel.T(lines.Sum(l => l.Headroom)), all);
    }

    [Fact]
    public async Task ACountyConfirmsAMeasureWithEvidenceAndTheHeadroomGrows()
    {
        RequireDatabase();
        var region = await factory.RegionIdAsync("950125");
        var measure = await factory.QueryAsync(db => db.ReductionMeasures.FirstAsync(m => m.RegionId == region && m.Year == Year && m.Pollutant == "so2" && m.ConfirmedOn == null));
        var client = await factory.SignedInAsync("linchuan");
        var url = $"/Quotas/Region/{region}?year={Year}&pollutant=so2";
        var before = await Headroom();

        var token = await client.FormTokenAsync(url);
        var bare = await client.PostFormAsync($"/Quotas/Region/{region}?handler=Confirm&measureId={measure.Id}&year={Year}&pollutant=so2", token,
            [new("Input.On", DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd")), new("Input.Evidence", "")]);
        Assert.Contains("请写明确认依据", await bare.Content.ReadAsStringAsync());
        var done = await client.PostFormAsync($"/Quotas/Region/{region}?handler=Confirm&measureId={measure.Id}&year={Year}&pollutant=so2", token,
            [new("Input.On", DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd")), new("Input.Evidence", "现场核查记录")]);

        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal(before + measure.Amount, await Headroom());
        Assert.Contains("现场核查记录", await client.GetStringAsync(url));

        Task<decimal> Headroom() => factory.QueryAsync(async db =>
        {
            var t = await db.RegionTargets.SingleAsync(x => x.RegionId == region && x.Year == Year && x.Pollutant == "so2");
            return LedgerLine.For(t, await db.QuotaIncrements.Where(i => i.RegionId == region).ToListAsync(), await db.ReductionMeasures.Where(m => m.RegionId == region).ToListAsync()).Headroom;
        });
    }

    [Fact]
    public async Task ACountyCannotOpenOrChangeAnotherCountysLedgerAndAnEnterpriseNone()
    {
        RequireDatabase();
        var hexi = await factory.RegionIdAsync("950103");
        var own = await factory.RegionIdAsync("950125");
        var measure = await factory.QueryAsync(db => db.ReductionMeasures.FirstAsync(m => m.RegionId == hexi && m.ConfirmedOn == null));
        var client = await factory.SignedInAsync("linchuan");

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Quotas/Region/{hexi}?year={Year}")).StatusCode);
        var token = await client.FormTokenAsync($"/Quotas/Region/{own}?year={Year}");
        var post = await client.PostFormAsync($"/Quotas/Region/{hexi}?handler=Confirm&measureId={measure.Id}&year={Year}", token,
            [new("Input.On", DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd")), new("Input.Evidence", "越权确认")]);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Null((await factory.QueryAsync(db => db.ReductionMeasures.SingleAsync(m => m.Id == measure.Id))).ConfirmedOn);

        // Even the data layer refuses a county's write to another county's measure.
        await Assert.ThrowsAsync<Zongliang.Data.ScopeViolationException>(() => factory.WithScopeAsync(
            AccessScope.Region("/950000/950100/950125/", "linchuan"), async db =>
            {
                db.ReductionMeasures.Add(new ReductionMeasure(hexi, null, "cod", Year, MeasureType.Management, "越权新增", 1, new DateOnly(Year, 12, 31)));
                await db.SaveChangesAsync();
            }));

        var enterprise = await factory.SignedInAsync("qiye1");
        var denied = await enterprise.GetAsync("/Quotas/Ledger");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Contains("AccessDenied", denied.Headers.Location!.ToString());
    }

    [Fact]
    public async Task TheRegionPageShowsWhichRefusalConditionsHoldAndLiftingARestrictionClearsOne()
    {
        RequireDatabase();
        var hexi = await factory.RegionIdAsync("950103");
        var city = await factory.SignedInAsync("city");
        var url = $"/Quotas/Region/{hexi}?year={Year}&pollutant=cod";

        var before = await city.GetStringAsync(url);
        Assert.Matches("3\\. 区域处于区域限批期间</td><td>存在，不予核定", before);
        Assert.Matches("4\\. 区域未按期关停淘汰落后产能</td><td>存在，不予核定", before);
        Assert.Matches("2\\. 区域未完成减排目标且本年度整改进度不符合要求</td><td>存在，不予核定", before);

        var restriction = await factory.QueryAsync(db => db.RegionRestrictions.SingleAsync(r => r.RegionId == hexi));
        var token = await city.FormTokenAsync("/Quotas/Registers");
        var lifted = await city.PostFormAsync($"/Quotas/Registers?handler=Lift&id={restriction.Id}", token, [new("liftDocument", "青环限批〔解〕1号")]);
        Assert.Equal(HttpStatusCode.Redirect, lifted.StatusCode);

        Assert.Matches("3\\. 区域处于区域限批期间</td><td>不存在", await city.GetStringAsync(url));
    }

    [Fact]
    public async Task ACountyRegistersOnlyInItsOwnCountyWithMessagesNextToTheFields()
    {
        RequireDatabase();
        var own = await factory.RegionIdAsync("950125");
        var hexi = await factory.RegionIdAsync("950103");
        var county = await factory.SignedInAsync("linchuan");
        var today = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd");

        var page = await county.GetStringAsync("/Quotas/Registers");
        Assert.DoesNotContain("青环限批", page); // 河西区's restriction is not 临川县's business
        var token = await county.FormTokenAsync("/Quotas/Registers");
        var noDocument = await county.PostFormAsync("/Quotas/Registers?handler=List", token,
            [new("Input.RegionId", $"{own}"), new("Input.Investor", "临川某建材有限公司"), new("Input.Kind", "Blacklist"), new("Input.Document", ""), new("Input.StartOn", today)]);
        Assert.Contains("请填写文号", await noDocument.Content.ReadAsStringAsync());
        var elsewhere = await county.PostFormAsync("/Quotas/Registers?handler=List", token,
            [new("Input.RegionId", $"{hexi}"), new("Input.Investor", "越权登记公司"), new("Input.Kind", "Blacklist"), new("Input.Document", "临环〔2026〕9号"), new("Input.StartOn", today)]);
        Assert.Contains("只能登记本辖区的行政区", await elsewhere.Content.ReadAsStringAsync());
        var listed = await county.PostFormAsync("/Quotas/Registers?handler=List", token,
            [new("Input.RegionId", $"{own}"), new("Input.Investor", "临川某建材有限公司"), new("Input.Kind", "Blacklist"), new("Input.Document", "临环〔2026〕9号"), new("Input.StartOn", today)]);

        Assert.Equal(HttpStatusCode.Redirect, listed.StatusCode);
        Assert.True(await factory.QueryAsync(db => db.InvestorListings.AnyAsync(l => l.Investor == "临川某建材有限公司" && l.RegionId == own)));
        Assert.False(await factory.QueryAsync(db => db.InvestorListings.AnyAsync(l => l.Investor == "越权登记公司")));
    }

    [Fact]
    public async Task ACountyRegistersAMeasureAndTheCitySetsATarget()
    {
        RequireDatabase();
        var region = await factory.RegionIdAsync("950125");
        var county = await factory.SignedInAsync("linchuan");
        var url = $"/Quotas/Region/{region}?year={Year}&pollutant=cod";
        var token = await county.FormTokenAsync(url);
        List<KeyValuePair<string, string>> Measure(string description) =>
            [new("Measure.Type", "Engineering"), new("Measure.Description", description), new("Measure.Amount", "7.5"), new("Measure.Deadline", $"{Year}-12-31")];

        var bare = await county.PostFormAsync($"/Quotas/Region/{region}?handler=Measure&year={Year}&pollutant=cod", token, Measure(""));
        Assert.Contains("请填写措施内容", await bare.Content.ReadAsStringAsync());
        var added = await county.PostFormAsync($"/Quotas/Region/{region}?handler=Measure&year={Year}&pollutant=cod", token, Measure("印染园区集中污水处理厂"));
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var measure = await factory.QueryAsync(db => db.ReductionMeasures.SingleAsync(m => m.Description == "印染园区集中污水处理厂"));
        Assert.Equal((region, "cod", 7.5m, false), (measure.RegionId, measure.Pollutant, measure.Amount, measure.Confirmed));

        // Targets are the city's: a county gets no form and its post is refused.
        var city = await factory.SignedInAsync("city");
        var ledger = $"/Quotas/Ledger?year={Year}&pollutant=nh3n";
        Assert.DoesNotContain("id=\"target\"", await county.GetStringAsync(ledger));
        var cityToken = await city.FormTokenAsync(ledger);
        List<KeyValuePair<string, string>> Target(string reduction) =>
            [new("Target.RegionId", $"{region}"), new("Target.BaseYear", $"{Year - 1}"), new("Target.BaseTotal", "120"), new("Target.ReductionPercent", reduction),
             new("Target.CurrentTotal", "118"), new("Target.Source", "环境统计年报")];
        var wrong = await city.PostFormAsync(ledger, cityToken, Target("120"));
        Assert.Contains("减排比例应在 0 到 100 之间", await wrong.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await city.PostFormAsync(ledger, cityToken, Target("2"))).StatusCode);
        Assert.Contains("临川县", await city.GetStringAsync(ledger));
        Assert.Equal(117.6m, (await factory.QueryAsync(db => db.RegionTargets.SingleAsync(t => t.RegionId == region && t.Pollutant == "nh3n" && t.Year == Year))).AllowedTotal);
    }

    [Fact]
    public async Task AbsurdAmountsAndDatesGetAMessageNextToTheFieldAndNeverReachTheLedger()
    {
        // Issue: "a reduction measure of 1e20 t with deadline 9999-12-31 confirms into the ledger (headroom
        // 1e20 t …); the city can set a target of 7.9e28 t; on PostgreSQL the column's precision turns it
        // into a 500." Every amount now has a plausible range (rules/plausible-ranges.json).
        RequireDatabase();
        var region = await factory.RegionIdAsync("950125");
        var county = await factory.SignedInAsync("linchuan");
        var url = $"/Quotas/Region/{region}?year={Year}&pollutant=so2";
        var token = await county.FormTokenAsync(url);
        async Task<string> MeasureAsync(string amount, string deadline) => await (await county.PostFormAsync($"/Quotas/Region/{region}?handler=Measure&year={Year}&pollutant=so2", token,
            [new("Measure.Type", "Structural"), new("Measure.Description", "关停过剩产能 " + amount), new("Measure.Amount", amount), new("Measure.Deadline", deadline)])).Content.ReadAsStringAsync();
        Assert.Contains("数值超出合理范围（0～100000 吨/年）", await MeasureAsync("1e20", $"{Year}-12-31"));
        Assert.Contains("数值超出合理范围", await MeasureAsync("100000.001", $"{Year}-12-31"));
        Assert.Contains("完成期限不应晚于台账年度后 10 年", await MeasureAsync("5", "9999-12-31"));
        Assert.False(await factory.QueryAsync(db => db.ReductionMeasures.AnyAsync(m => m.Description.StartsWith("关停过剩产能"))));

        var city = await factory.SignedInAsync("city");
        var ledger = $"/Quotas/Ledger?year={Year}&pollutant=nox";
        var cityToken = await city.FormTokenAsync(ledger);
        var huge = await city.PostFormAsync(ledger, cityToken, [new("Target.RegionId", $"{region}"), new("Target.BaseYear", $"{Year - 1}"),
            new("Target.BaseTotal", "79000000000000000000000000000"), new("Target.ReductionPercent", "2"), new("Target.CurrentTotal", "118"), new("Target.Source", "环境统计年报")]);
        Assert.NotEqual(HttpStatusCode.InternalServerError, huge.StatusCode);
        Assert.Contains("数值超出合理范围（0～5000000 吨/年）", await huge.Content.ReadAsStringAsync());
        Assert.False(await factory.QueryAsync(db => db.RegionTargets.AnyAsync(t => t.RegionId == region && t.Pollutant == "nox" && t.Year == Year)));
    }

    [Fact]
    public async Task ACountyExportsOnlyItsOwnLedgerAndCannotLiftAnotherCountysRestriction()
    {
        RequireDatabase();
        var county = await factory.SignedInAsync("linchuan");

        using (var stream = new MemoryStream(await county.GetByteArrayAsync($"/Quotas/LedgerExport?year={Year}&pollutant=cod")))
        {
            var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
            Assert.Equal(["临川县"], rows.Select(r => (string)r["行政区"]));
        }

        var hexi = await factory.RegionIdAsync("950103");
        var restriction = await factory.QueryAsync(db => db.RegionRestrictions.SingleAsync(r => r.RegionId == hexi));
        var listing = await factory.QueryAsync(db => db.InvestorListings.SingleAsync(l => l.RegionId == hexi));
        var token = await county.FormTokenAsync("/Quotas/Registers");
        Assert.Equal(HttpStatusCode.NotFound, (await county.PostFormAsync($"/Quotas/Registers?handler=Lift&id={restriction.Id}", token, [new("liftDocument", "越权解除")])).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await county.PostFormAsync($"/Quotas/Registers?handler=Remove&id={listing.Id}", token, [])).StatusCode);
        // Unchanged by the county's posts (another test of this class may have lifted it as the city).
        var after = await factory.QueryAsync(db => db.RegionRestrictions.SingleAsync(r => r.Id == restriction.Id));
        Assert.Equal((restriction.LiftedOn, restriction.LiftDocument), (after.LiftedOn, after.LiftDocument));
        Assert.NotEqual("越权解除", after.LiftDocument);
        Assert.Equal(listing.RemovedOn, (await factory.QueryAsync(db => db.InvestorListings.SingleAsync(l => l.Id == listing.Id))).RemovedOn);
    }

    [Fact]
    public async Task TheLedgerExportsAsExcelWithTheCityTotal()
    {
        RequireDatabase();
        var city = await factory.SignedInAsync("city");

        var response = await city.GetAsync($"/Quotas/LedgerExport?year={Year}&pollutant=so2");

        await using var stream = await response.Content.ReadAsStreamAsync();
        var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(12, rows.Count);
        Assert.Equal("全市合计", rows[^1]["行政区"]);
        Assert.Equal(rows.Take(11).Sum(r => Convert.ToDecimal(r["剩余容量（吨）"])), Convert.ToDecimal(rows[^1]["剩余容量（吨）"]), 3);
    }
}

public sealed class LedgerPageTestsOnSqlite(SqliteFactory factory) : LedgerPageTests<SqliteFactory>(factory);

public sealed class LedgerPageTestsOnPostgreSql(PostgreSqlFactory factory) : LedgerPageTests<PostgreSqlFactory>(factory)
{
    protected override void RequireDatabase() => PostgreSqlFactory.SkipUnlessAvailable();
}
