using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using Zongliang.Data;
using Zongliang.Domain.Common;
using Zongliang.Domain.Registry;
using Zongliang.Domain.Supervision;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Supervision;

/// <summary>
/// The quarterly upward report to the provincial monitoring station (监督性监测数据上报): a fixed
/// layout, one row per source, factor and sample, with the region, credit, outlet and HJ 212 factor
/// codes; as Excel or as CSV (UTF-8 with a byte-order mark, so Excel opens it in Chinese).
/// </summary>
public static class SupervisionReport
{
    /// <summary>The columns, in order: the layout the province receives.</summary>
    public static readonly string[] Columns =
    [
        "年度", "季度", "行政区代码", "行政区", "统一社会信用代码", "排污单位", "控制级别", "排放口编号", "排放口名称",
        "因子代码", "因子名称", "采样时间", "监测方法", "监测值", "单位", "排放限值", "是否超标", "在线监测值", "相对偏差(%)", "报告编号",
    ];

    public static void MapSupervisionReport(this WebApplication app) =>
        app.MapGet("/Supervision/Report", ExportAsync).RequireAuthorization(Policies.SupervisionRead).Audited();

    private static async Task<Results<FileContentHttpResult, BadRequest<string>>> ExportAsync(int year, int quarter, string? format, ZongliangDbContext db, CancellationToken ct)
    {
        if (year is < 2000 or > 2100 || quarter is < 1 or > 4)
            return TypedResults.BadRequest("year and quarter (1–4) are required");
        var rows = await RowsAsync(db, year, quarter, ct);
        var name = $"监督性监测_{year}年第{quarter}季度";
        if (format == "csv")
        {
            var csv = new StringBuilder();
            csv.AppendLine(string.Join(',', Columns));
            foreach (var r in rows)
                csv.AppendLine(string.Join(',', Columns.Select(c => Csv(r[c]))));
            return TypedResults.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray(), "text/csv; charset=utf-8", name + ".csv");
        }
        using var stream = new MemoryStream();
        await stream.SaveAsAsync(rows.Select(r => (IDictionary<string, object?>)r), sheetName: "监督性监测", cancellationToken: ct);
        return TypedResults.File(stream.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name + ".xlsx");
    }

    public static async Task<List<Dictionary<string, object?>>> RowsAsync(ZongliangDbContext db, int year, int quarter, CancellationToken ct)
    {
        var samples = await (from t in db.SupervisoryTasks.AsNoTracking()
                             where t.Year == year && t.Quarter == quarter && t.Kind == SupervisoryKind.Quarterly
                             join s in db.SupervisorySamples.AsNoTracking().Include(s => s.Values) on t.Id equals s.TaskId
                             join o in db.Outlets on s.OutletId equals o.Id
                             join e in db.Enterprises on t.EnterpriseId equals e.Id
                             join r in db.Regions on t.RegionId equals r.Id
                             orderby r.Code, e.CreditCode, o.Code, s.SampledAtUtc
                             select new { s, Outlet = o, e.CreditCode, Enterprise = e.Name, e.ControlLevel, RegionCode = r.Code, Region = r.Name }).ToListAsync(ct);
        var factors = await db.Factors.AsNoTracking().ToDictionaryAsync(f => f.Code, f => (f.Name, f.Unit), ct);
        return samples.SelectMany(x => x.s.Values.OrderBy(v => v.FactorCode).Select(v => new Dictionary<string, object?>
        {
            ["年度"] = year,
            ["季度"] = quarter,
            ["行政区代码"] = x.RegionCode,
            ["行政区"] = x.Region,
            ["统一社会信用代码"] = x.CreditCode,
            ["排污单位"] = x.Enterprise,
            ["控制级别"] = Enterprise.ControlLevelLabel(x.ControlLevel),
            ["排放口编号"] = x.Outlet.Code,
            ["排放口名称"] = x.Outlet.Name,
            ["因子代码"] = v.FactorCode,
            ["因子名称"] = factors.TryGetValue(v.FactorCode, out var f) ? f.Name : v.FactorCode,
            ["采样时间"] = BeijingTime.Format(x.s.SampledAtUtc),
            ["监测方法"] = x.s.Method,
            ["监测值"] = v.Value,
            ["单位"] = factors.TryGetValue(v.FactorCode, out var u) ? u.Unit : "",
            ["排放限值"] = v.Limit,
            ["是否超标"] = v.Limit is null ? "" : v.Exceeded ? "是" : "否",
            ["在线监测值"] = v.Online is { } o ? Math.Round(o, 3) : null,
            ["相对偏差(%)"] = v.DifferencePercent,
            ["报告编号"] = x.s.ReportNumber,
        })).ToList();
    }

    internal static string Csv(object? value)
    {
        var text = value switch
        {
            null => "",
            double d => d.ToString("0.###", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            // A text cell starting with = + - @ (or a tab or CR) would be read by a spreadsheet as a formula
            // (CSV injection): it is prefixed with an apostrophe. Numbers are formatted above and never are.
            _ => value.ToString() is { Length: > 0 } s && "=+-@\t\r".Contains(s[0]) ? "'" + s : value.ToString() ?? "",
        };
        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;
    }
}
