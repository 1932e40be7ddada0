using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Common;
using Zongliang.Domain.Monitoring.Validity;
using Zongliang.Domain.Registry;

namespace Zongliang.Web.Features.Monitoring;

/// <summary>运行考核: transmission, validity and effective transmission rates of a month, per county and per device, from the stored hours.</summary>
public sealed class AssessmentModel(ZongliangDbContext db, TimeProvider clock) : PageModel
{
    public sealed record DeviceRow(string Region, string Enterprise, string Outlet, int OutletId, string Mn, OperationRates Rates);

    public sealed record CountyRow(string Region, int Devices, OperationRates Rates);

    public DateOnly Month { get; private set; }
    public IReadOnlyList<CountyRow> Counties { get; private set; } = [];
    public IReadOnlyList<DeviceRow> Devices { get; private set; } = [];

    public static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "—";

    /// <summary>Why the month asked for was not shown, or null.</summary>
    public string? MonthError { get; private set; }

    public async Task OnGetAsync(string? month, CancellationToken ct)
    {
        var today = BeijingTime.Today(clock);
        var parsed = DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var m);
        if (parsed && !PlausibleRanges.Current.IsPlausibleDate(m, today))
        {
            MonthError = PlausibleRanges.Current.DateMessage(today) + "，已显示本月";
            parsed = false;
        }
        Month = parsed ? m : new DateOnly(today.Year, today.Month, 1);
        var from = BeijingTime.DayStartUtc(Month);
        var to = BeijingTime.DayStartUtc(Month.AddMonths(1));
        var stopped = PeriodStatus.Stopped;
        // Producing points only, each hour capped at its expected count (as OperationRates.Of does).
        var perOutlet = await db.HourAggregates.AsNoTracking()
            .Where(h => h.HourUtc >= from && h.HourUtc < to && h.Status != stopped && h.Notice == NoticeKind.None)
            .GroupBy(h => h.OutletId)
            .Select(g => new
            {
                OutletId = g.Key,
                Expected = g.Sum(h => (long)h.Expected),
                Received = g.Sum(h => (long)(h.Received - h.Stopped > h.Expected ? h.Expected : h.Received - h.Stopped)),
                Valid = g.Sum(h => (long)(h.ValidCount > h.Expected ? h.Expected : h.ValidCount)),
            })
            .ToListAsync(ct);
        var ids = perOutlet.Select(x => x.OutletId).ToList();
        var networked = DeviceState.Networked;
        var devices = await db.Devices.AsNoTracking().Where(d => ids.Contains(d.OutletId) && d.State == networked)
            .Select(d => new { d.OutletId, d.Mn, Region = d.Outlet.Enterprise.Region.Name, Enterprise = d.Outlet.Enterprise.Name, Outlet = d.Outlet.Code + " " + d.Outlet.Name })
            .ToListAsync(ct);
        Devices = devices.Join(perOutlet, d => d.OutletId, o => o.OutletId,
                (d, o) => new DeviceRow(d.Region, d.Enterprise, d.Outlet, d.OutletId, d.Mn, new OperationRates(o.Expected, o.Received, o.Valid)))
            .OrderBy(r => r.Region).ThenBy(r => r.Rates.EffectiveTransmission).ToList();
        Counties = Devices.GroupBy(d => d.Region)
            .Select(g => new CountyRow(g.Key, g.Count(), g.Aggregate(default(OperationRates), (sum, d) => sum + d.Rates)))
            .OrderBy(c => c.Region).ToList();
    }
}
