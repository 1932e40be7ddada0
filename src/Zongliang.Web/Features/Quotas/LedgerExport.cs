using Zongliang.Domain.Common;
using MiniExcelLibs;
using Zongliang.Data;
using Zongliang.Domain.Quotas;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Quotas;

/// <summary>The ledger of a year and pollutant as an Excel file: one row per county, then the city total.</summary>
public static class LedgerExport
{
    public static void MapQuotaExports(this WebApplication app) =>
        app.MapGet("/Quotas/LedgerExport", ExportAsync).RequireAuthorization(Policies.QuotaLedger).Audited();

    private static async Task<IResult> ExportAsync(int year, string? pollutant, ZongliangDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var today = BeijingTime.Today(clock);
        if (!PlausibleRanges.Current.IsPlausibleYear(year, today))
            return Results.BadRequest(PlausibleRanges.Current.YearMessage(today));
        var p = pollutant is { } x && Pollutants.All.Contains(x) ? x : "cod";
        var (rows, city) = await LedgerQueries.LinesAsync(db, year, p, ct);
        var sheet = rows.Select(r => Row(r.Region.Name, r.Line, r.MonitoredTonnes)).ToList();
        if (city is not null)
            sheet.Add(Row("全市合计", city, rows.Sum(r => r.MonitoredTonnes)));
        using var stream = new MemoryStream();
        await stream.SaveAsAsync(sheet.Select(r => (IDictionary<string, object?>)r), sheetName: "总量台账", cancellationToken: ct);
        return Results.File(stream.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"总量台账_{year}_{Pollutants.Label(p)}.xlsx");
    }

    private static Dictionary<string, object?> Row(string region, LedgerLine l, decimal monitored) => new()
    {
        ["行政区"] = region,
        ["基准年排放量（吨）"] = l.BaseTotal,
        ["控制目标（吨）"] = l.Allowed,
        ["现状排放量（吨）"] = l.Current,
        ["新增量·已核定"] = l.Verified,
        ["新增量·在建"] = l.UnderConstruction,
        ["新增量·已投运"] = l.Operating,
        ["削减量·已确认"] = l.ConfirmedReductions,
        ["削减量·待确认"] = l.PendingReductions,
        ["预计排放量（吨）"] = l.Projected,
        ["剩余容量（吨）"] = l.Headroom,
        ["目标完成率"] = l.Completion,
        ["达标"] = l.TargetMet ? "是" : "否",
        ["本年监测排放量（吨）"] = monitored,
    };
}
