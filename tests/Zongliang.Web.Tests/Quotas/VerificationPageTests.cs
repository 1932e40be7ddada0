using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Zongliang.Domain.Access;
using Zongliang.Domain.Quotas;
using Zongliang.Web.Features.Quotas;
using Zongliang.Web.Tests.Infrastructure;

namespace Zongliang.Web.Tests.Quotas;

/// <summary>The verification workflow through the pages: a county files, the offices on the route review in turn, the document is numbered and the ledger grows.</summary>
public abstract class VerificationPageTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : ZongliangFactory
{
    protected virtual void RequireDatabase() { }

    private static int Year => DateTime.UtcNow.AddHours(8).Year;

    private static async Task<HttpResponseMessage> ApplyAsync(HttpClient client, int regionId, string project, decimal cod, decimal so2, string approval = "City", string eia = "Form")
    {
        var token = await client.FormTokenAsync("/Quotas/Applications");
        return await client.PostFormAsync("/Quotas/Applications", token,
        [
            new("Input.RegionId", $"{regionId}"), new("Input.Project", project), new("Input.Investor", project + "有限公司"), new("Input.Eia", eia),
            new("Input.Approval", approval), new("Input.Cod", $"{cod}"), new("Input.So2", $"{so2}"), new("Input.QuotaSource", "区域剩余容量"),
        ]);
    }

    private static async Task<HttpResponseMessage> ReviewAsync(HttpClient client, int id, string decision, string opinion)
    {
        var url = $"/Quotas/Application/{id}";
        return await client.PostFormAsync(url, await client.FormTokenAsync(url), [new("Input.Decision", decision), new("Input.Opinion", opinion)]);
    }

    private static int IdOf(HttpResponseMessage response) => int.Parse(Regex.Match(response.Headers.Location!.ToString(), "/Quotas/Application/(\\d+)").Groups[1].Value);

    [Fact]
    public async Task AMillionTonneApplicationOrAnOverlongNameGetsAMessageNotAReview()
    {
        // Issue: "a 1,000,000 t application then passes condition 1"; "a 5,000-character project name (column 200)" was a 500.
        RequireDatabase();
        var county = await factory.SignedInAsync("linchuan");
        var region = await factory.RegionIdAsync("950125");
        var million = await ApplyAsync(county, region, "百万吨项目", 1_000_000m, 0);
        Assert.Contains("数值超出合理范围（0～100000 吨/年）", await million.Content.ReadAsStringAsync());
        var longName = await ApplyAsync(county, region, new string('长', 5000), 1m, 0);
        Assert.NotEqual(HttpStatusCode.InternalServerError, longName.StatusCode);
        Assert.Contains("项目名称不能超过200字", await longName.Content.ReadAsStringAsync());
        Assert.False(await factory.QueryAsync(db => db.VerificationApplications.AnyAsync(a => a.Project == "百万吨项目" || a.Project.StartsWith("长长长"))));
    }

    [Fact]
    public async Task ACountyFilesTheOfficesReviewInTurnAndTheIssuedTotalEntersTheLedger()
    {
        RequireDatabase();
        var region = await factory.RegionIdAsync("950125");
        var county = await factory.SignedInAsync("linchuan");
        var city = await factory.SignedInAsync("city");
        var verifiedBefore = await factory.QueryAsync(db => db.QuotaIncrements.Where(i => i.RegionId == region && i.Pollutant == "cod" && i.Year == Year).SumAsync(i => i.Amount));

        var filed = await ApplyAsync(county, region, "临川县饮料加工项目", cod: 12, so2: 0);
        Assert.Equal(HttpStatusCode.Redirect, filed.StatusCode);
        var id = IdOf(filed);
        var page = await county.GetStringAsync($"/Quotas/Application/{id}");
        Assert.Contains("县（区）环保局 → 市总量办", page);
        Assert.Contains($"<dd id=\"deadline\" class=\"\">{DateTime.UtcNow.AddHours(8).AddDays(10):yyyy-MM-dd}</dd>", page); // ten days for the county
        Assert.Contains("不予核定情形核查", page);

        Assert.Equal(HttpStatusCode.Redirect, (await ReviewAsync(county, id, "Agree", "经核查，项目所需指标来源可靠，同意")).StatusCode);
        // Now the city's turn: the county's page has no review form any more; the city office agrees.
        Assert.DoesNotContain("id=\"review\"", await county.GetStringAsync($"/Quotas/Application/{id}"));
        var cityAgrees = await ReviewAsync(city, id, "Agree", "认定同意");
        Assert.Equal(HttpStatusCode.Redirect, cityAgrees.StatusCode);

        var issued = await factory.QueryAsync(db => db.VerificationApplications.SingleAsync(a => a.Id == id));
        Assert.Equal(ApplicationState.Issued, issued.State);
        Assert.NotNull(issued.DocumentNumber);
        var document = $"青环总量核〔{Year}〕{issued.DocumentNumber}号";
        Assert.Contains(document, await city.GetStringAsync($"/Quotas/Application/{id}"));
        // The document as a PDF, its text read back.
        var pdf = await city.GetAsync($"/Quotas/Application/{id}/Document");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        var bytes = await pdf.Content.ReadAsByteArrayAsync();
        if (Environment.GetEnvironmentVariable("ZL_SCREENSHOTS") is { Length: > 0 } shots)
            File.WriteAllBytes(Path.Combine(Directory.CreateDirectory(shots).FullName, "verification-document.pdf"), bytes);
        using (var read = UglyToad.PdfPig.PdfDocument.Open(bytes))
        {
            var text = string.Concat(read.GetPages().Select(p => p.Text));
            Assert.Contains(document, text);
            Assert.Contains("临川县饮料加工项目", text);
            Assert.Contains("化学需氧量 12 吨/年", text);
            Assert.Contains("青川市环境保护局", text);
        }
        Assert.InRange(bytes.Length, 10_000, 400_000); // the font is subset, not embedded whole
        var anonymous = factory.CreateClient();
        Assert.Contains(document, await anonymous.GetStringAsync("/Public/Verifications"));

        var increment = await factory.QueryAsync(db => db.QuotaIncrements.SingleAsync(i => i.Source == document));
        Assert.Equal((region, "cod", 12m, IncrementStatus.Verified), (increment.RegionId, increment.Pollutant, increment.Amount, increment.Status));
        Assert.Equal(verifiedBefore + 12, await factory.QueryAsync(db => db.QuotaIncrements.Where(i => i.RegionId == region && i.Pollutant == "cod" && i.Year == Year).SumAsync(i => i.Amount)));
    }

    [Fact]
    public async Task TheEiaGateRecordsAnApprovalOnlyAgainstAValidDocumentOfTheSameProject()
    {
        RequireDatabase();
        var region = await factory.RegionIdAsync("950125");
        var county = await factory.SignedInAsync("linchuan");
        var id = IdOf(await ApplyAsync(county, region, "临川县小型包装项目", cod: 1, so2: 1)); // below the city thresholds: the county issues
        await ReviewAsync(county, id, "Agree", "同意");
        var number = (await factory.QueryAsync(db => db.IssuedDocuments.SingleAsync(d => d.ApplicationId == id))).Number;
        Assert.StartsWith("临川环总量核〔", number);

        var none = await county.PostAsJsonAsync("/api/v1/eia-approvals", new { documentNumber = "青环总量核〔1999〕1号", project = "临川县小型包装项目", eiaNumber = "临环审〔2026〕1号" });
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Contains("没有该文号的有效总量核定文件", await none.Content.ReadAsStringAsync());
        var otherProject = await county.PostAsJsonAsync("/api/v1/eia-approvals", new { documentNumber = number, project = "另一个项目", eiaNumber = "临环审〔2026〕1号" });
        Assert.Contains("与本项目不符", await otherProject.Content.ReadAsStringAsync());

        var approved = await county.PostAsJsonAsync("/api/v1/eia-approvals", new { documentNumber = number, project = "临川县小型包装项目", eiaNumber = "临环审〔2026〕1号" });
        Assert.Equal(HttpStatusCode.Created, approved.StatusCode);
        var body = await approved.JsonAsync();
        Assert.Equal(number, body.GetProperty("documentNumber").GetString());
        Assert.Equal(2, body.GetProperty("amounts").GetArrayLength());
        var again = await county.PostAsJsonAsync("/api/v1/eia-approvals", new { documentNumber = number, project = "临川县小型包装项目", eiaNumber = "临环审〔2026〕2号" });
        Assert.Contains("已用于环评审批", await again.Content.ReadAsStringAsync());
        Assert.Contains("临环审〔2026〕1号", await county.GetStringAsync($"/Quotas/Application/{id}"));

        // Another county can neither read this document through the API or the page, nor use it at the gate.
        var other = await factory.SignedInAsync("hexi");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/verification-documents/{Uri.EscapeDataString(number)}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/Quotas/Application/{id}/Document")).StatusCode);
        var foreign = await other.PostAsJsonAsync("/api/v1/eia-approvals", new { documentNumber = number, project = "临川县小型包装项目", eiaNumber = "河环审〔2026〕9号" });
        Assert.Contains("没有该文号的有效总量核定文件", await foreign.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await county.GetAsync($"/api/v1/verification-documents/{Uri.EscapeDataString(number)}")).StatusCode);
    }

    [Fact]
    public async Task AReductionServesOneProjectOnlyEvenWhenProjectsClaimItAtOnce()
    {
        RequireDatabase();
        var region = await factory.RegionIdAsync("950124");
        var measure = await factory.QueryAsync(db => db.ReductionMeasures.Where(m => m.RegionId == region && m.ConfirmedOn != null && m.UsedAmount == 0).OrderBy(m => m.Id).FirstAsync());
        var share = Math.Round(measure.Amount / 3.5m, 3); // three fit, the fourth does not
        var service = factory.Services.GetRequiredService<VerificationService>();
        var route = new Route(["county"], "county", false, "test");
        var scope = AccessScope.System("test");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => service.SubmitAsync(
            () => VerificationApplication.Submit(region, $"替代并发项目{i}", "替代公司", EiaKind.Form, ApprovalLevel.City,
                new Dictionary<string, decimal> { [measure.Pollutant] = share }, "削减替代", route, "test", DateTime.UtcNow).Application!,
            [(measure.Id, share)], scope, _ => { }, CancellationToken.None))));

        Assert.Equal(3, outcomes.Count(o => o.Succeeded));
        Assert.All(outcomes.Where(o => !o.Succeeded), o => Assert.Contains("不能重复使用", o.Error));
        var after = await factory.QueryAsync(db => db.ReductionMeasures.SingleAsync(m => m.Id == measure.Id));
        var offsets = await factory.QueryAsync(db => db.QuotaOffsets.Where(o => o.MeasureId == measure.Id).ToListAsync());
        Assert.Equal(3 * share, after.UsedAmount);
        Assert.Equal(after.UsedAmount, offsets.Sum(o => o.Tonnes));
        Assert.Equal(3, await factory.QueryAsync(db => db.VerificationApplications.CountAsync(a => a.Project.StartsWith("替代并发项目"))));
    }

    [Fact]
    public async Task TheFormNamesAnOffsetAndTheAnalysisWeighsItAgainstTheRatio()
    {
        RequireDatabase();
        var region = await factory.RegionIdAsync("950125");
        var measure = await factory.QueryAsync(db => db.ReductionMeasures.Where(m => m.RegionId == region && m.ConfirmedOn != null && m.Pollutant == "cod").OrderByDescending(m => m.Amount).FirstAsync());
        var county = await factory.SignedInAsync("linchuan");
        var token = await county.FormTokenAsync("/Quotas/Applications");
        List<KeyValuePair<string, string>> Form(string project, decimal offset) =>
        [
            new("Input.RegionId", $"{region}"), new("Input.Project", project), new("Input.Investor", "临川替代公司"), new("Input.Eia", "Form"),
            new("Input.Approval", "County"), new("Input.Cod", "2"), new("Input.So2", "0"), new("Input.QuotaSource", "关停造纸线削减量"),
            new("Input.OffsetMeasureId", $"{measure.Id}"), new("Input.OffsetTonnes", $"{offset}"),
        ];

        var tooMuch = await county.PostFormAsync("/Quotas/Applications", token, Form("替代过量项目", measure.Amount + 1));
        Assert.Contains("不能重复使用", await tooMuch.Content.ReadAsStringAsync());
        var filed = await county.PostFormAsync("/Quotas/Applications", token, Form("替代项目", 1.5m));
        var page = await county.GetStringAsync($"/Quotas/Application/{IdOf(filed)}");

        Assert.Contains("1.5（2.0，1:1） 不足", page); // 1.5 t offered, 2 t needed at 1:1
    }

    [Fact]
    public async Task AcceptanceComparesTheMonitoredEmissionWithTheVerifiedTotalAndTheLedgerTakesTheActual()
    {
        RequireDatabase();
        await factory.AggregatedAsync();
        var region = await factory.RegionIdAsync("950125");
        var enterprise = await factory.QueryAsync(db => db.DayAggregates
            .Where(d => d.FactorCode == "w01018" && d.Status == Zongliang.Domain.Monitoring.Validity.PeriodStatus.Valid)
            .Join(db.Outlets, d => d.OutletId, o => o.Id, (d, o) => o.Enterprise)
            .Where(e => e.RegionId == region).Select(e => e.Id).FirstAsync());
        var county = await factory.SignedInAsync("linchuan");
        var today = DateTime.UtcNow.AddHours(8);
        // Room in the county's ledger for a project as large as a real plant (a demo outlet emits tens of tonnes a year).
        await factory.WithScopeAsync(AccessScope.System("test"), async db =>
        {
            var target = await db.RegionTargets.SingleAsync(t => t.RegionId == region && t.Pollutant == "cod" && t.Year == Year);
            target.CurrentTotal -= 1000;
            await db.SaveChangesAsync();
        });

        async Task<(int Id, string Html)> AcceptAsync(string project, decimal cod)
        {
            var id = IdOf(await ApplyAsync(county, region, project, cod, so2: 0, approval: "County"));
            await ReviewAsync(county, id, "Agree", "同意");
            var url = $"/Quotas/Application/{id}";
            var done = await county.PostFormAsync(url + "?handler=Accept", await county.FormTokenAsync(url),
                [new("Acceptance.EnterpriseId", $"{enterprise}"), new("Acceptance.From", today.AddDays(-5).ToString("yyyy-MM-dd")), new("Acceptance.To", today.ToString("yyyy-MM-dd"))]);
            Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
            return (id, await county.GetStringAsync(url));
        }

        var (generous, passHtml) = await AcceptAsync("临川县验收通过项目", cod: 900);
        var (tight, failHtml) = await AcceptAsync("临川县验收超标项目", cod: 0.01m);

        Assert.Contains("<b id=\"acceptance\">通过</b>", passHtml);
        Assert.Contains("<b id=\"acceptance\">不通过</b>", failHtml);
        Assert.Contains("超过核定总量", failHtml);
        var number = (await factory.QueryAsync(db => db.IssuedDocuments.SingleAsync(d => d.ApplicationId == generous))).Number;
        var increment = await factory.QueryAsync(db => db.QuotaIncrements.SingleAsync(i => i.Source.StartsWith(number)));
        var actual = (await factory.QueryAsync(db => db.AcceptanceChecks.Include(c => c.Lines).SingleAsync(c => c.ApplicationId == generous))).Lines.Single().Actual;
        Assert.Equal((IncrementStatus.Operating, actual!.Value), (increment.Status, increment.Amount));
        var tightNumber = (await factory.QueryAsync(db => db.IssuedDocuments.SingleAsync(d => d.ApplicationId == tight))).Number;
        Assert.Equal(IncrementStatus.Verified, (await factory.QueryAsync(db => db.QuotaIncrements.SingleAsync(i => i.Source.StartsWith(tightNumber)))).Status);
    }

    [Fact]
    public async Task AnInvestorOverItsQuotaAndAClosedPlantThatEmitsAgainAreFound()
    {
        RequireDatabase();
        await factory.AggregatedAsync();
        var beishan = await factory.RegionIdAsync("950121");
        var investor = await factory.QueryAsync(db => db.EnterpriseQuotas.Where(q => q.Tonnes < 1)
            .Join(db.Enterprises, q => q.EnterpriseId, e => e.Id, (q, e) => e).Select(e => e.Name).FirstAsync());
        var county = await factory.SignedInAsync("beishan");
        var token = await county.FormTokenAsync("/Quotas/Applications");
        var filed = await county.PostFormAsync("/Quotas/Applications", token,
        [
            new("Input.RegionId", $"{beishan}"), new("Input.Project", "北山县扩建项目"), new("Input.Investor", investor), new("Input.Eia", "Form"),
            new("Input.Approval", "County"), new("Input.Cod", "0.5"), new("Input.So2", "0.5"), new("Input.QuotaSource", "区域剩余容量"),
        ]);

        var page = await county.GetStringAsync($"/Quotas/Application/{IdOf(filed)}");
        Assert.Matches("6\\. 投资主体现有设施超总量控制指标</td><td>存在，不予核定</td><td>[^<]*超过总量指标 0.01", page);

        var nanhu = await factory.RegionIdAsync("950122");
        var city = await factory.SignedInAsync("city");
        Assert.Matches($"<td>{Regex.Escape(investor)}</td><td>[^<]+</td><td class=\"num\">0.01</td>\\s*<td class=\"num\">[^<]+</td><td>超总量指标", await city.GetStringAsync("/Quotas/Registers"));
        Assert.Matches("4\\. 区域未按期关停淘汰落后产能</td><td>存在，不予核定</td><td>[^<]*又有排放", await city.GetStringAsync($"/Quotas/Region/{nanhu}?year={Year}&pollutant=cod"));
    }

    [Fact]
    public async Task TheApplicantAttachesDocumentsOfTheAcceptedKindsAndSize()
    {
        RequireDatabase();
        var region = await factory.RegionIdAsync("950125");
        var county = await factory.SignedInAsync("linchuan");
        var id = IdOf(await ApplyAsync(county, region, "临川县附件项目", cod: 1, so2: 0, approval: "Province", eia: "Book"));
        var url = $"/Quotas/Application/{id}";

        async Task<HttpResponseMessage> UploadAsync(string name, byte[] content)
        {
            var token = await county.FormTokenAsync(url);
            using var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" }, { new ByteArrayContent(content), "file", name } };
            return await county.PostAsync(url + "?handler=Attach", form);
        }

        var pdf = "%PDF-1.4 环评报告书摘要"u8.ToArray();
        Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync("环评报告书摘要.pdf", pdf)).StatusCode);
        Assert.Contains("只接受 PDF", await (await UploadAsync("script.exe", [1, 2, 3])).Content.ReadAsStringAsync());
        Assert.Contains("不能超过 10 MB", await (await UploadAsync("big.pdf", new byte[10 * 1024 * 1024 + 1])).Content.ReadAsStringAsync());

        var page = await county.GetStringAsync(url);
        Assert.Contains("环评报告书摘要.pdf", page);
        var attachment = await factory.QueryAsync(db => db.ApplicationAttachments.SingleAsync(a => a.ApplicationId == id));
        Assert.Equal(pdf, await county.GetByteArrayAsync($"{url}/Attachment/{attachment.Id}"));
        var other = await factory.SignedInAsync("hexi");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"{url}/Attachment/{attachment.Id}")).StatusCode);
    }

    [Fact]
    public async Task AnApplicationFromARestrictedRegionIsBlockedWithTheReason()
    {
        RequireDatabase();
        var hexi = await factory.RegionIdAsync("950103");
        var county = await factory.SignedInAsync("hexi");
        var id = IdOf(await ApplyAsync(county, hexi, "河西区化工扩建项目", cod: 1, so2: 1));

        var agree = await ReviewAsync(county, id, "Agree", "同意");
        var html = await agree.Content.ReadAsStringAsync();

        Assert.Contains("存在不予核定情形", html);
        Assert.Contains("青环限批", html); // the evidence
        Assert.Equal(ApplicationState.UnderReview, (await factory.QueryAsync(db => db.VerificationApplications.SingleAsync(a => a.Id == id))).State);
        await ReviewAsync(county, id, "Refuse", "区域限批期间，不予核定");
        Assert.Equal(ApplicationState.Refused, (await factory.QueryAsync(db => db.VerificationApplications.SingleAsync(a => a.Id == id))).State);

        var other = await factory.SignedInAsync("linchuan");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/Quotas/Application/{id}")).StatusCode);
    }

    [Fact]
    public async Task ABadFieldGetsItsMessageNextToIt()
    {
        RequireDatabase();
        var region = await factory.RegionIdAsync("950125");
        var county = await factory.SignedInAsync("linchuan");

        var response = await ApplyAsync(county, region, "", cod: 1, so2: 0);

        Assert.Contains("请填写项目名称", await response.Content.ReadAsStringAsync());
        var zero = await ApplyAsync(county, region, "零申请项目", cod: 0, so2: 0);
        Assert.Contains("至少填写一种主要污染物的申请量", await zero.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DocumentsIssuedAtOnceGetConsecutiveNumbersWithoutGapsOrDuplicates()
    {
        RequireDatabase();
        var region = await factory.RegionIdAsync("950121");
        var route = new Route(["county", "city"], "city", false, "test");
        RefusalFinding[] clear = [];
        var ids = new List<int>();
        await factory.WithScopeAsync(AccessScope.System("test"), async db =>
        {
            for (var i = 0; i < 8; i++)
            {
                var (a, _) = VerificationApplication.Submit(region, $"并发核定项目{i}", "并发公司", EiaKind.Form, ApprovalLevel.City,
                    new Dictionary<string, decimal> { ["cod"] = 1 }, "来源", route, "test", DateTime.UtcNow);
                a!.Review("county", ReviewDecision.Agree, "同意", "t", DateTime.UtcNow, clear);
                a.Review("city", ReviewDecision.Agree, "同意", "t", DateTime.UtcNow, clear);
                db.VerificationApplications.Add(a);
            }
            await db.SaveChangesAsync();
            ids = await db.VerificationApplications.Where(a => a.Project.StartsWith("并发核定项目")).Select(a => a.Id).ToListAsync();
        });
        var service = factory.Services.GetRequiredService<VerificationService>();

        var outcomes = await Task.WhenAll(ids.Select(id => Task.Run(() => service.IssueAsync(id, AccessScope.System("test"), CancellationToken.None))));

        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Error));
        var numbers = await factory.QueryAsync(db => db.VerificationApplications.Where(a => ids.Contains(a.Id)).Select(a => a.DocumentNumber!.Value).ToListAsync());
        var all = await factory.QueryAsync(db => db.VerificationApplications.Where(a => a.DocumentNumber != null && a.DocumentYear == Year && a.IssuerRegionId == db.Regions.Single(r => r.Code == "950100").Id)
            .Select(a => a.DocumentNumber!.Value).OrderBy(n => n).ToListAsync());
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
        Assert.Equal(Enumerable.Range(1, all.Count), all);
    }
}

public sealed class VerificationPageTestsOnSqlite(SqliteFactory factory) : VerificationPageTests<SqliteFactory>(factory);

public sealed class VerificationPageTestsOnPostgreSql(PostgreSqlFactory factory) : VerificationPageTests<PostgreSqlFactory>(factory)
{
    protected override void RequireDatabase() => PostgreSqlFactory.SkipUnlessAvailable();
}
