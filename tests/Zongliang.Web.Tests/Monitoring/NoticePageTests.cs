using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Zongliang.Data.Seeding;
using Zongliang.Domain.Monitoring;
using Zongliang.Domain.Monitoring.Validity;
using Zongliang.Web.Features.Monitoring;
using Zongliang.Web.Tests.Infrastructure;

namespace Zongliang.Web.Tests.Monitoring;

/// <summary>An enterprise files a planned stop, its county accepts it, and the hours are recomputed.</summary>
public sealed class NoticePageTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    private static string Beijing(DateTime utc) => utc.AddHours(8).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    [Fact]
    public async Task AnEnterpriseFilesAStopItsCountyAcceptsItAndTheHoursChange()
    {
        await factory.AggregatedAsync();
        var own = await factory.QueryAsync(db => (from u in db.Users
                                                  join o in db.Outlets on u.EnterpriseId equals o.EnterpriseId
                                                  where u.UserName == "qiye1" && db.HourAggregates.Any(h => h.OutletId == o.Id)
                                                  select new { o.Id, o.Enterprise.Region.Code }).FirstAsync());
        var county = DemoCity.Counties.Single(c => c.Code == own.Code).Login;
        var foreign = await factory.QueryAsync(db => db.Outlets.Where(o => o.Enterprise.Region.Code != own.Code).Select(o => o.Id).FirstAsync());
        var hours = await factory.QueryAsync(db => db.HourAggregates.Where(h => h.OutletId == own.Id).OrderBy(h => h.HourUtc).Select(h => h.HourUtc).ToListAsync());
        var (from, to) = (hours[5], hours[5].AddHours(6));

        var enterprise = await factory.SignedInAsync("qiye1");
        var token = await enterprise.FormTokenAsync("/Monitoring/Notices");
        var refused = await enterprise.PostFormAsync("/Monitoring/Notices?handler=File", token, [new("Input.OutletId", $"{foreign}"), new("Input.Kind", "PlannedStop"),
            new("Input.From", Beijing(from)), new("Input.To", Beijing(to)), new("Input.Reason", "越权报备")]);
        Assert.Contains("只能为本单位的排放口报备", await refused.Content.ReadAsStringAsync());
        var noReason = await enterprise.PostFormAsync("/Monitoring/Notices?handler=File", token, [new("Input.OutletId", $"{own.Id}"), new("Input.Kind", "PlannedStop"),
            new("Input.From", Beijing(from)), new("Input.To", Beijing(to)), new("Input.Reason", "")]);
        Assert.Contains("请写明停产或检修的原因", await noReason.Content.ReadAsStringAsync());
        var filed = await enterprise.PostFormAsync("/Monitoring/Notices?handler=File", token, [new("Input.OutletId", $"{own.Id}"), new("Input.Kind", "PlannedStop"),
            new("Input.From", Beijing(from)), new("Input.To", Beijing(to)), new("Input.Reason", "锅炉年度检修停产")]);
        Assert.Equal(HttpStatusCode.Redirect, filed.StatusCode);
        var notice = await factory.QueryAsync(db => db.OperationNotices.SingleAsync(n => n.OutletId == own.Id));
        Assert.Equal((NoticeState.Filed, from, to), (notice.State, notice.FromUtc, notice.ToUtc));

        var others = await factory.SignedInAsync(county == "beishan" ? "nanhu" : "beishan");
        Assert.DoesNotContain("锅炉年度检修停产", await others.GetStringAsync("/Monitoring/Notices"));

        var auditor = await factory.SignedInAsync(county);
        token = await auditor.FormTokenAsync("/Monitoring/Notices");
        var bare = await auditor.PostFormAsync($"/Monitoring/Notices?handler=Decide&id={notice.Id}", token, [new("accept", "false"), new("decisionReason", "")]);
        Assert.Contains("不予认可须写明理由", await bare.Content.ReadAsStringAsync());
        var accepted = await auditor.PostFormAsync($"/Monitoring/Notices?handler=Decide&id={notice.Id}", token, [new("accept", "true"), new("decisionReason", "情况属实")]);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);

        var covered = await factory.QueryAsync(db => db.HourAggregates.Where(h => h.OutletId == own.Id && h.HourUtc >= from && h.HourUtc < to).ToListAsync());
        Assert.NotEmpty(covered);
        Assert.All(covered, h => Assert.Equal(NoticeKind.PlannedStop, h.Notice));
        Assert.All(covered.Where(h => h.ValidCount == 0 && !h.Audited), h => Assert.Equal(PeriodStatus.Stopped, h.Status));
        Assert.All(covered.Where(h => h.ValidCount > 0 && h.Status == PeriodStatus.Valid), h => Assert.NotEqual(MassSource.Stopped, h.Mass));
        // An enterprise may not decide its own notices: sent to the access-denied page.
        var selfDecided = await enterprise.PostFormAsync($"/Monitoring/Notices?handler=Decide&id={notice.Id}",
            await enterprise.FormTokenAsync("/Monitoring/Notices"), [new("accept", "true")]);
        Assert.Equal(HttpStatusCode.Redirect, selfDecided.StatusCode);
        Assert.Contains("AccessDenied", selfDecided.Headers.Location!.ToString());
    }
}
