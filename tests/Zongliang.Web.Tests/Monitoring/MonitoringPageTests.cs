using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using Xunit;
using Zongliang.Domain.Monitoring;
using Zongliang.Domain.Monitoring.Validity;
using Zongliang.Web.Features.Monitoring;
using Zongliang.Web.Tests.Infrastructure;
using Zongliang.Domain.Common;

namespace Zongliang.Web.Tests.Monitoring;

/// <summary>
/// The demo city's ten-minute history through the aggregation job to the outlet page, the audit
/// form and the Excel reports, on each database.
/// </summary>
public abstract class MonitoringPageTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : ZongliangFactory
{
    protected virtual void RequireDatabase() { }

    /// <summary>Waits for the job's start-up sweep, then for the job to finish what it marked.</summary>
    private async Task AggregatedAsync()
    {
        RequireDatabase();
        await factory.AggregatedAsync();
    }

    /// <summary>An outlet of 临川县 (950125) with a pollutant hour of the given mass source.</summary>
    private Task<HourAggregate> HourAsync(MassSource mass, string regionCode = "950125") => factory.QueryAsync(db =>
        db.HourAggregates.Where(h => h.Mass == mass && db.Outlets.Any(o => o.Id == h.OutletId && o.Enterprise.Region.Code == regionCode))
            .OrderBy(h => h.OutletId).ThenBy(h => h.HourUtc).FirstAsync());

    [Fact]
    public async Task TheDemoHistoryHasValidInvalidSuspectStoppedAndSubstitutedHours()
    {
        await AggregatedAsync();
        var kinds = await factory.QueryAsync(async db => new
        {
            Valid = await db.HourAggregates.CountAsync(h => h.Status == PeriodStatus.Valid),
            Invalid = await db.HourAggregates.CountAsync(h => h.Status == PeriodStatus.Invalid && h.Received > 0),
            Stopped = await db.HourAggregates.CountAsync(h => h.Status == PeriodStatus.Stopped),
            Repeated = await db.HourAggregates.CountAsync(h => h.Suspect == SuspectReason.Repeated),
            Substituted = await db.HourAggregates.CountAsync(h => h.Mass == MassSource.Substituted),
        });
        Assert.True(kinds.Valid > 0 && kinds.Invalid > 0 && kinds.Stopped > 0 && kinds.Repeated > 0 && kinds.Substituted > 0, kinds.ToString());
    }

    [Fact]
    public async Task TheOutletPageShowsTheHoursOfADayWithTheirMarks()
    {
        await AggregatedAsync();
        var hour = await HourAsync(MassSource.Substituted);
        var day = BeijingTime.Date(hour.HourUtc);
        var client = await factory.SignedInAsync("linchuan");

        var html = await client.GetStringAsync($"/Monitoring/Outlet/{hour.OutletId}?factor={hour.FactorCode}&day={day:yyyy-MM-dd}");

        Assert.Contains("补遗", html);
        Assert.Contains("无效", html);
        Assert.Contains("data-chart=", html);
        Assert.Contains("/lib/echarts/echarts.min.js", html);
        Assert.Contains("数据有效性审核", html); // a county officer may audit
    }

    [Fact]
    public async Task TheChartShowsTheDaysMinuteValuesByFlagOrTheLastMonthsDays()
    {
        await AggregatedAsync();
        var hour = await HourAsync(MassSource.Substituted);
        var day = BeijingTime.Date(hour.HourUtc);
        var (from, to) = (BeijingTime.DayStartUtc(day), BeijingTime.DayStartUtc(day.AddDays(1)));
        var minutes = await factory.QueryAsync(db => db.Readings.CountAsync(r => r.OutletId == hour.OutletId && r.FactorCode == hour.FactorCode
            && r.Kind == ReadingKind.Minute && r.TimeUtc >= from && r.TimeUtc < to));
        var client = await factory.SignedInAsync("linchuan");
        var url = $"/Monitoring/Outlet/{hour.OutletId}?factor={hour.FactorCode}&day={day:yyyy-MM-dd}";

        var minuteChart = ChartOf(await client.GetStringAsync(url + "&view=minute"));
        var dayChart = ChartOf(await client.GetStringAsync(url + "&view=day"));

        Assert.Equal(minutes, minuteChart.GetProperty("points").GetArrayLength());
        // Every minute that is not flagged N is coloured as something other than valid.
        var flagged = await factory.QueryAsync(db => db.Readings.CountAsync(r => r.OutletId == hour.OutletId && r.FactorCode == hour.FactorCode
            && r.Kind == ReadingKind.Minute && r.TimeUtc >= from && r.TimeUtc < to && r.Flag != "N"));
        Assert.Equal(flagged, minuteChart.GetProperty("points").EnumerateArray().Count(p => p.GetProperty("s").GetString() != "valid"));
        Assert.Equal(day.ToString("MM-dd"), dayChart.GetProperty("points").EnumerateArray().Last().GetProperty("t").GetString());

        static System.Text.Json.JsonElement ChartOf(string html)
        {
            var m = System.Text.RegularExpressions.Regex.Match(html, "data-chart=\"([^\"]*)\"");
            return System.Text.Json.JsonDocument.Parse(System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).RootElement;
        }
    }

    [Fact]
    public async Task AnAuditorsDecisionChangesTheAggregatesAndIsKeptWithTheValueBefore()
    {
        await AggregatedAsync();
        var hour = await HourAsync(MassSource.Measured);
        var day = BeijingTime.Date(hour.HourUtc);
        var hourOfDay = (int)(hour.HourUtc - BeijingTime.DayStartUtc(day)).TotalHours;
        var url = $"/Monitoring/Outlet/{hour.OutletId}?factor={hour.FactorCode}&day={day:yyyy-MM-dd}";
        var client = await factory.SignedInAsync("linchuan");

        var token = await client.FormTokenAsync(url);
        var noReason = await client.PostFormAsync(url, token, [new("Input.Period", $"{hourOfDay}"), new("Input.FactorCode", hour.FactorCode), new("Input.Valid", "false"), new("Input.Reason", "")]);
        Assert.Contains("请写明审核理由", await noReason.Content.ReadAsStringAsync());

        var response = await client.PostFormAsync(url, token, [new("Input.Period", $"{hourOfDay}"), new("Input.FactorCode", hour.FactorCode), new("Input.Valid", "false"), new("Input.Reason", "现场核查：仪器漂移")]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var after = await factory.QueryAsync(db => db.HourAggregates.SingleAsync(h => h.OutletId == hour.OutletId && h.FactorCode == hour.FactorCode && h.HourUtc == hour.HourUtc));
        Assert.Equal(PeriodStatus.Invalid, after.Status);
        Assert.True(after.Audited);
        Assert.Equal(MassSource.Substituted, after.Mass);
        var decision = await factory.QueryAsync(db => db.AuditDecisions.SingleAsync(d => d.OutletId == hour.OutletId && d.StartUtc == hour.HourUtc));
        Assert.Equal((PeriodStatus.Valid, hour.Mean, "现场核查：仪器漂移", false), (decision.StatusBefore, decision.MeanBefore, decision.Reason, decision.Reaudit));

        // A re-audit is a new decision; the first is kept.
        token = await client.FormTokenAsync(url);
        await client.PostFormAsync(url, token, [new("Input.Period", $"{hourOfDay}"), new("Input.FactorCode", hour.FactorCode), new("Input.Valid", "true"), new("Input.Reason", "复核：漂移在允许范围内")]);
        var decisions = await factory.QueryAsync(db => db.AuditDecisions.Where(d => d.OutletId == hour.OutletId && d.StartUtc == hour.HourUtc).OrderBy(d => d.Id).ToListAsync());
        Assert.Equal([false, true], decisions.Select(d => d.Reaudit));
        var restored = await factory.QueryAsync(db => db.HourAggregates.SingleAsync(h => h.OutletId == hour.OutletId && h.FactorCode == hour.FactorCode && h.HourUtc == hour.HourUtc));
        Assert.Equal((PeriodStatus.Valid, MassSource.Measured, hour.MassKg), (restored.Status, restored.Mass, restored.MassKg));
    }

    [Fact]
    public async Task ACountyUserCannotSeeAuditOrExportAnotherCountysOutlet()
    {
        await AggregatedAsync();
        var other = await HourAsync(MassSource.Measured, regionCode: "950121");
        var own = await HourAsync(MassSource.Measured);
        var client = await factory.SignedInAsync("linchuan");
        var url = $"/Monitoring/Outlet/{other.OutletId}";

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(url)).StatusCode);
        var token = await client.FormTokenAsync($"/Monitoring/Outlet/{own.OutletId}");
        var post = await client.PostFormAsync(url, token, [new("Input.Period", "day"), new("Input.Valid", "false"), new("Input.Reason", "越权")]);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Monitoring/Report/{other.OutletId}?day=2026-01-01")).StatusCode);
        Assert.False(await factory.QueryAsync(db => db.AuditDecisions.AnyAsync(d => d.OutletId == other.OutletId)));
    }

    [Fact]
    public async Task AnInspectorSeesTheDataButHasNoAuditForm()
    {
        await AggregatedAsync();
        var hour = await HourAsync(MassSource.Measured);
        var client = await factory.SignedInAsync("inspect");

        var html = await client.GetStringAsync($"/Monitoring/Outlet/{hour.OutletId}");

        Assert.DoesNotContain("提交审核结论", html);
        // The page gives an inspector no form, hence no token: a forged post is refused before any handler runs.
        var post = await client.PostAsync($"/Monitoring/Outlet/{hour.OutletId}", new FormUrlEncodedContent([new("Input.Period", "day"), new("Input.Valid", "false"), new("Input.Reason", "无权")]));
        Assert.False(post.IsSuccessStatusCode || post.StatusCode == HttpStatusCode.Redirect);
        Assert.False(await factory.QueryAsync(db => db.AuditDecisions.AnyAsync(d => d.Reason == "无权")));
    }

    [Fact]
    public async Task TheWorkbenchListsOnlyTheRegionsUnauditedInvalidAndSuspectHours()
    {
        await AggregatedAsync();
        var client = await factory.SignedInAsync("linchuan");

        var html = await client.GetStringAsync("/Monitoring/Workbench?days=31");

        Assert.Contains("临川县", html);
        foreach (var other in new[] { "北山县", "南湖县", "河东区" })
            Assert.DoesNotContain($"<td>{other}</td>", html);
        var newest = await factory.QueryAsync(db => db.HourAggregates
            .Where(h => !h.Audited && h.Status == PeriodStatus.Invalid && db.Outlets.Any(o => o.Id == h.OutletId && o.Enterprise.Region.Code == "950125"))
            .OrderByDescending(h => h.HourUtc).FirstAsync());
        Assert.Contains($"/Monitoring/Outlet/{newest.OutletId}?factor=", html);
        Assert.Contains(Zongliang.Domain.Common.BeijingTime.Format(newest.HourUtc), html);
        var inspector = await factory.SignedInAsync("inspect");
        Assert.Equal(HttpStatusCode.Redirect, (await inspector.GetAsync("/Monitoring/Workbench")).StatusCode); // to access denied
    }

    [Fact]
    public async Task TheAssessmentComputesEachDevicesRatesAsTheDomainDoesAndOnlyForTheRegion()
    {
        await AggregatedAsync();
        var hour = await HourAsync(MassSource.Substituted);
        var day = BeijingTime.Date(hour.HourUtc);
        var (from, to) = (BeijingTime.DayStartUtc(new DateOnly(day.Year, day.Month, 1)), BeijingTime.DayStartUtc(new DateOnly(day.Year, day.Month, 1).AddMonths(1)));
        var hours = await factory.QueryAsync(db => db.HourAggregates.Where(h => h.OutletId == hour.OutletId && h.HourUtc >= from && h.HourUtc < to).ToListAsync());
        var expected = OperationRates.Of(hours.Select(h => h.ToValue()));
        var mn = await factory.QueryAsync(db => db.Devices.Where(d => d.OutletId == hour.OutletId && d.State == Domain.Registry.DeviceState.Networked).Select(d => d.Mn).FirstAsync());
        var client = await factory.SignedInAsync("linchuan");

        var html = await client.GetStringAsync($"/Monitoring/Assessment?month={day:yyyy-MM}");

        var row = html[html.IndexOf(mn, StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains(AssessmentModel.Percent(expected.Transmission), row);
        Assert.Contains(AssessmentModel.Percent(expected.EffectiveTransmission), row);
        Assert.True(expected.Expected > 0);
        Assert.Contains("临川县", html);
        Assert.DoesNotContain("北山县", html);
    }

    [Fact]
    public async Task TheHomePageCountsWhatWaitsForTheAuditorsOfTheRegion()
    {
        await AggregatedAsync();
        var since = DateTime.UtcNow.AddDays(-7);
        var pending = await factory.QueryAsync(db => db.HourAggregates
            .Where(h => h.HourUtc >= since && !h.Audited && h.Status != PeriodStatus.Stopped && (h.Status == PeriodStatus.Invalid || h.Suspect != SuspectReason.None)
                && db.Outlets.Any(o => o.Id == h.OutletId && o.Enterprise.Region.Code == "950125"))
            .Select(h => new { h.OutletId, h.HourUtc }).Distinct().CountAsync());
        var county = await factory.SignedInAsync("linchuan");
        var inspector = await factory.SignedInAsync("inspect");

        var html = await county.GetStringAsync("/");

        Assert.True(pending > 0);
        Assert.Contains($"<b id=\"pending-audit\">{pending}</b>", html);
        Assert.DoesNotContain("pending-audit", await inspector.GetStringAsync("/"));
    }

    [Fact]
    public async Task TheDailyReportIsAnExcelFileWithOneRowPerHourAndTotals()
    {
        await AggregatedAsync();
        var hour = await HourAsync(MassSource.Substituted);
        var day = BeijingTime.Date(hour.HourUtc);
        var client = await factory.SignedInAsync("linchuan");

        var response = await client.GetAsync($"/Monitoring/Report/{hour.OutletId}?day={day:yyyy-MM-dd}");

        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(25, rows.Count);
        Assert.Equal("00:00–01:00", rows[0]["时段"]);
        Assert.Equal("均值/合计", rows[24]["时段"]);
        var massColumn = rows[0].Keys.First(k => k.EndsWith("排放量（kg）"));
        var sum = rows.Take(24).Sum(r => r[massColumn] is { } v ? Convert.ToDouble(v) : 0);
        // Within half a unit of the third decimal. Rounding both to three decimals failed when the sum fell
        // on a half (80.98749999999998 against 80.9875: the same mass, added in another order).
        Assert.Equal(sum, Convert.ToDouble(rows[24][massColumn]), 0.0005);
        Assert.Contains(rows.Take(24), r => r.Values.Contains("是")); // a substituted hour is marked
    }
}

public sealed class MonitoringPageTestsOnSqlite(SqliteFactory factory) : MonitoringPageTests<SqliteFactory>(factory);

public sealed class MonitoringPageTestsOnPostgreSql(PostgreSqlFactory factory) : MonitoringPageTests<PostgreSqlFactory>(factory)
{
    protected override void RequireDatabase() => PostgreSqlFactory.SkipUnlessAvailable();
}
