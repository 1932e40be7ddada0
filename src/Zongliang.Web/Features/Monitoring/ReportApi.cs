using Zongliang.Web.Hosting;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using Zongliang.Data;
using Zongliang.Domain.Common;
using Zongliang.Domain.Monitoring;
using Zongliang.Domain.Monitoring.Validity;

namespace Zongliang.Web.Features.Monitoring;

/// <summary>
/// Excel reports of an outlet in the layout bureaus use: a daily report (one row per hour), a
/// monthly report (one row per day) and an annual report (one row per month); factors as columns,
/// each with its validity mark, pollutant masses, and a closing row of means and totals.
/// </summary>
public static class ReportApi
{
    public static void MapMonitoringReports(this WebApplication app) =>
        app.MapGet("/Monitoring/Report/{id:int}", ExportAsync).Audited();

    private static async Task<Results<FileContentHttpResult, NotFound, BadRequest<string>>> ExportAsync(
        int id, string? day, string? month, int? year, ZongliangDbContext db, Data.Monitoring.ValidityRules rules, TimeProvider clock, CancellationToken ct)
    {
        var outlet = await db.Outlets.AsNoTracking().Include(o => o.Enterprise).Include(o => o.Factors).FirstOrDefaultAsync(o => o.Id == id, ct);
        if (outlet is null) return TypedResults.NotFound();
        var codes = outlet.Factors.Select(f => f.FactorCode).ToList();
        var factors = await db.Factors.AsNoTracking().Where(f => codes.Contains(f.Code)).OrderBy(f => f.IsParameter).ThenBy(f => f.Code).ToListAsync(ct);
        var pollutants = factors.Where(f => !f.IsParameter && f.MassUnit.Length > 0).Select(f => f.Code).ToHashSet();

        List<Dictionary<string, object?>> rows;
        string title;
        var ranges = PlausibleRanges.Current;
        var today = BeijingTime.Today(clock);
        bool Implausible(string? text, string suffix) =>
            DateOnly.TryParseExact(text + suffix, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var asked) && !ranges.IsPlausibleDate(asked, today);
        if (Implausible(day, "") || Implausible(month, "-01") || year is { } y && !ranges.IsPlausibleYear(y, today))
            return TypedResults.BadRequest(ranges.DateMessage(today));
        if (DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            var from = BeijingTime.DayStartUtc(d);
            var to = from.AddDays(1);
            var hours = await db.HourAggregates.AsNoTracking().Where(h => h.OutletId == id && h.HourUtc >= from && h.HourUtc < to).ToListAsync(ct);
            rows = Enumerable.Range(0, 24).Select(h => Row($"{h:00}:00–{h + 1:00}:00", factors, pollutants,
                code => hours.FirstOrDefault(x => x.FactorCode == code && x.HourUtc == from.AddHours(h)) is { } x
                    ? (x.Mean, x.Status, x.MassKg, x.Mass == MassSource.Substituted) : null)).ToList();
            title = $"日报表_{d:yyyyMMdd}";
        }
        else if (DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var m))
        {
            var last = m.AddMonths(1).AddDays(-1);
            var days = await db.DayAggregates.AsNoTracking().Where(x => x.OutletId == id && x.Day >= m && x.Day <= last).ToListAsync(ct);
            rows = Enumerable.Range(0, last.Day).Select(i => Row(m.AddDays(i).ToString("yyyy-MM-dd"), factors, pollutants,
                code => days.FirstOrDefault(x => x.FactorCode == code && x.Day == m.AddDays(i)) is { } x
                    ? (x.Mean, x.Status, x.MassKg, x.SubstitutedHours > 0) : null)).ToList();
            title = $"月报表_{m:yyyyMM}";
        }
        else if (year is >= 2000 and <= 2100)
        {
            var first = new DateOnly(year.Value, 1, 1);
            var last = new DateOnly(year.Value, 12, 31);
            var days = await db.DayAggregates.AsNoTracking().Where(x => x.OutletId == id && x.Day >= first && x.Day <= last).ToListAsync(ct);
            rows = Enumerable.Range(1, 12).Select(mo => Row($"{mo}月", factors, pollutants, code =>
            {
                var of = days.Where(x => x.FactorCode == code && x.Day.Month == mo).OrderBy(x => x.Day).Select(x => x.ToValue()).ToArray();
                if (of.Length == 0) return null;
                var p = ValidityEngine.Roll(rules.For(outlet.Medium), of);
                return (p.Mean, p.ValidDays > 0 ? PeriodStatus.Valid : PeriodStatus.Invalid, p.MassKg, p.SubstitutedHours > 0);
            })).ToList();
            title = $"年报表_{year}";
        }
        else
        {
            return TypedResults.BadRequest("请指定 day=yyyy-MM-dd、month=yyyy-MM 或 year=yyyy");
        }
        rows.Add(Totals(rows, factors, pollutants));

        using var stream = new MemoryStream();
        await stream.SaveAsAsync(rows.Select(r => (IDictionary<string, object?>)r), sheetName: title.Split('_')[0], cancellationToken: ct);
        var name = $"{outlet.Enterprise.Name}_{outlet.Code}_{title}.xlsx";
        return TypedResults.File(stream.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name);
    }

    private static Dictionary<string, object?> Row(string period, List<Domain.Registry.Factor> factors, HashSet<string> pollutants,
        Func<string, (double? Mean, PeriodStatus Status, double? MassKg, bool Substituted)?> cell)
    {
        var row = new Dictionary<string, object?> { ["时段"] = period };
        foreach (var f in factors)
        {
            var c = cell(f.Code);
            row[$"{f.Name}（{f.Unit}）"] = c?.Mean is { } v ? Math.Round(v, 3) : null;
            row[$"{f.Name}有效性"] = c is null ? "缺失" : Labels.Status(c.Value.Status);
            if (pollutants.Contains(f.Code))
            {
                row[$"{f.Name}排放量（kg）"] = c?.MassKg is { } kg ? Math.Round(kg, 4) : null;
                row[$"{f.Name}补遗"] = c is { Substituted: true } ? "是" : "";
            }
        }
        return row;
    }

    /// <summary>The closing row: the mean of the valid periods, the count of valid periods, the total mass.</summary>
    private static Dictionary<string, object?> Totals(List<Dictionary<string, object?>> rows, List<Domain.Registry.Factor> factors, HashSet<string> pollutants)
    {
        var total = new Dictionary<string, object?> { ["时段"] = "均值/合计" };
        foreach (var f in factors)
        {
            var valid = rows.Where(r => (string?)r[$"{f.Name}有效性"] == "有效" && r[$"{f.Name}（{f.Unit}）"] is double).Select(r => (double)r[$"{f.Name}（{f.Unit}）"]!).ToList();
            total[$"{f.Name}（{f.Unit}）"] = valid.Count > 0 ? Math.Round(valid.Average(), 3) : null;
            total[$"{f.Name}有效性"] = $"有效{valid.Count}/{rows.Count}";
            if (pollutants.Contains(f.Code))
            {
                total[$"{f.Name}排放量（kg）"] = Math.Round(rows.Sum(r => r[$"{f.Name}排放量（kg）"] as double? ?? 0), 4);
                total[$"{f.Name}补遗"] = $"{rows.Count(r => (string?)r[$"{f.Name}补遗"] == "是")}";
            }
        }
        return total;
    }
}
