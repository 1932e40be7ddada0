using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Data.Monitoring;
using Zongliang.Domain.Monitoring;
using Zongliang.Domain.Monitoring.Validity;
using Zongliang.Domain.Registry;
using Zongliang.Web.Hosting;
using Zongliang.Domain.Common;

namespace Zongliang.Web.Features.Monitoring;

public sealed class AuditInput
{
    [Display(Name = "时段")]
    [Required(ErrorMessage = "请选择时段")]
    public string Period { get; set; } = "";

    [Display(Name = "因子")]
    public string FactorCode { get; set; } = "";

    [Display(Name = "结论")]
    public bool Valid { get; set; }

    [Display(Name = "审核理由")]
    public string? Reason { get; set; }
}

/// <summary>
/// 排放口数据: one outlet's hours (chart and table) and days for a factor, with the validity marks,
/// masses and audit decisions, and the audit form for those who may decide.
/// </summary>
public sealed class OutletModel(ZongliangDbContext db, RecomputeQueue store, ValidityRules rules, IAuthorizationService auth, TimeProvider clock,
    Ingestion.ReadingsFeed feed, IHostApplicationLifetime lifetime) : PageModel
{
    /// <summary>The latest value of each factor, with its flag (the panel that updates itself as data arrive).</summary>
    public IReadOnlyList<LatestReadings.Row> Latest { get; private set; } = [];

    public Outlet Item { get; private set; } = null!;
    public IReadOnlyList<(string Code, string Name, string Unit)> Factors { get; private set; } = [];
    public string FactorCode { get; private set; } = "";
    public DateOnly Day { get; private set; }
    public IReadOnlyList<HourAggregate> Hours { get; private set; } = [];
    public IReadOnlyList<DayAggregate> Days { get; private set; } = [];
    public IReadOnlyList<AuditDecision> Decisions { get; private set; } = [];
    public decimal? Limit { get; private set; }
    public string ChartJson { get; private set; } = "{}";
    public bool CanAudit { get; private set; }
    /// <summary>What the chart shows: "minute" (the day's minute values by flag), "hour" (three days of hours) or "day" (31 days).</summary>
    public string View { get; private set; } = "hour";

    [BindProperty] public AuditInput Input { get; set; } = new();

    public (string Code, string Name, string Unit) Factor => Factors.FirstOrDefault(f => f.Code == FactorCode);

    /// <summary>Why the day asked for was not shown (out of the plausible dates), or null.</summary>
    public string? DayError { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, string? factor, DateOnly? day, string? view, CancellationToken ct)
    {
        View = view is "minute" or "day" ? view : "hour";
        if (!await LoadAsync(id, factor, day, ct)) return NotFound();
        Input.FactorCode = FactorCode;
        Latest = await LatestReadings.ForOutletAsync(db, id, ct);
        return Page();
    }

    /// <summary>The latest readings alone, for the page to refresh itself as data arrive.</summary>
    public async Task<IActionResult> OnGetReadingsAsync(int id, CancellationToken ct)
    {
        if (!await db.Outlets.AnyAsync(o => o.Id == id, ct)) return NotFound();
        return Partial("Monitoring/_LatestReadings", await LatestReadings.ForOutletAsync(db, id, ct));
    }

    /// <summary>Between two notices on an idle stream, a comment line, so that nothing between the browser and here closes it.</summary>
    internal static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Server-sent events: "readings" each time new readings of the outlet are stored (on this instance),
    /// so the page fetches them at once (within a second of the logger's 9014) rather than at its next poll.
    /// </summary>
    public async Task<IActionResult> OnGetStreamAsync(int id, CancellationToken ct)
    {
        if (!await db.Outlets.AnyAsync(o => o.Id == id, ct)) return NotFound();
        using var subscription = feed.Subscribe(id);
        // Ends with the request, or when the server stops (an open page must not hold up its shutdown).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, lifetime.ApplicationStopping);
        Response.ContentType = "text/event-stream";
        Response.Headers.CacheControl = "no-cache";
        HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        try
        {
            await Response.WriteAsync(": open\n\n", stop.Token);
            await Response.Body.FlushAsync(stop.Token);
            while (true)
            {
                var stored = await subscription.WaitAsync(KeepAlive, stop.Token);
                await Response.WriteAsync(stored ? "data: readings\n\n" : ": keep-alive\n\n", stop.Token);
                await Response.Body.FlushAsync(stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
        return new EmptyResult();
    }

    public async Task<IActionResult> OnPostAsync(int id, string? factor, DateOnly? day, CancellationToken ct)
    {
        if (!await LoadAsync(id, factor, day, ct)) return NotFound();
        if (!CanAudit) return Forbid();
        Latest = await LatestReadings.ForOutletAsync(db, id, ct);
        var (start, span) = ParsePeriod(Input.Period);
        if (start is null)
            ModelState.AddModelError("Input.Period", "请选择要审核的时段");
        var code = Input.FactorCode is { Length: > 0 } c && Factors.Any(f => f.Code == c) ? c : "";
        if (!ModelState.IsValid) return Page();

        var before = span == AuditSpan.Hour
            ? Hours.FirstOrDefault(h => h.HourUtc == start && (code == "" || h.FactorCode == code)) is { } hour ? (hour.Status, hour.Mean) : (PeriodStatus.Invalid, (double?)null)
            : Days.FirstOrDefault(d => d.Day == Day && d.FactorCode == (code == "" ? FactorCode : code)) is { } dd ? (dd.Status, dd.Mean) : (PeriodStatus.Invalid, null);
        var decidedBefore = await db.AuditDecisions.AnyAsync(d => d.OutletId == id && d.StartUtc == start!.Value && d.Span == span
            && (d.FactorCode == code || d.FactorCode == "" || code == ""), ct);
        var (decision, outcome) = AuditDecision.Decide(id, code, start!.Value, span, Input.Valid, Input.Reason,
            User.Signer(), clock.GetUtcNow().UtcDateTime,
            decidedBefore, before.Item1, before.Item2);
        if (!outcome.Succeeded)
        {
            ModelState.AddModelError($"Input.{outcome.Field ?? "Reason"}".Replace("Input.Start", "Input.Period"), outcome.Error!);
            return Page();
        }
        db.AuditDecisions.Add(decision!);
        await db.SaveChangesAsync(ct);
        // The decision changes the hours, the masses around them and the day: recompute now, so the page shows it.
        await store.RecomputeNowAsync(id, BeijingTime.Date(start.Value), ct);
        TempData["Notice"] = $"已记录审核结论：{(Input.Valid ? "有效" : "无效")}";
        return Redirect($"/Monitoring/Outlet/{id}?factor={FactorCode}&day={Day:yyyy-MM-dd}");
    }

    private (DateTime? Start, AuditSpan Span) ParsePeriod(string period)
    {
        if (period == "day")
            return (BeijingTime.DayStartUtc(Day), AuditSpan.Day);
        if (int.TryParse(period, out var hour) && hour is >= 0 and < 24)
            return (BeijingTime.DayStartUtc(Day).AddHours(hour), AuditSpan.Hour);
        return (null, AuditSpan.Hour);
    }

    private async Task<bool> LoadAsync(int id, string? factor, DateOnly? day, CancellationToken ct)
    {
        var outlet = await db.Outlets.AsNoTracking().Include(o => o.Enterprise).ThenInclude(e => e.Region).Include(o => o.Factors)
            .FirstOrDefaultAsync(o => o.Id == id, ct);
        if (outlet is null) return false;
        Item = outlet;
        var codes = outlet.Factors.Select(f => f.FactorCode).ToList();
        var catalog = await db.Factors.AsNoTracking().Where(f => codes.Contains(f.Code)).ToListAsync(ct);
        // Pollutants first, then flow and parameters.
        Factors = catalog.OrderBy(f => f.IsParameter).ThenBy(f => f.Code).Select(f => (f.Code, f.Name, f.Unit)).ToList();
        FactorCode = factor is { Length: > 0 } && codes.Contains(factor) ? factor : Factors.FirstOrDefault().Code ?? "";
        Limit = outlet.Factors.FirstOrDefault(f => f.FactorCode == FactorCode)?.Limit;
        var latest = await db.DayAggregates.Where(d => d.OutletId == id).MaxAsync(d => (DateOnly?)d.Day, ct);
        var today = BeijingTime.Date(clock.GetUtcNow().UtcDateTime);
        if (day is { } asked && !PlausibleRanges.Current.IsPlausibleDate(asked, today))
        {
            DayError = PlausibleRanges.Current.DateMessage(today) + "，已显示最近一天";
            day = null;
        }
        Day = day ?? latest ?? today;

        var from = BeijingTime.DayStartUtc(Day);
        var to = from.AddDays(1);
        var chartFrom = from.AddDays(-2);
        var code = FactorCode;
        var chart = await db.HourAggregates.AsNoTracking()
            .Where(h => h.OutletId == id && h.FactorCode == code && h.HourUtc >= chartFrom && h.HourUtc < to)
            .OrderBy(h => h.HourUtc).ToListAsync(ct);
        Hours = chart.Where(h => h.HourUtc >= from).ToList();
        var firstDay = Day.AddDays(-6);
        Days = await db.DayAggregates.AsNoTracking().Where(d => d.OutletId == id && d.FactorCode == code && d.Day >= firstDay && d.Day <= Day)
            .OrderByDescending(d => d.Day).ToListAsync(ct);
        var dayEnd = to;
        Decisions = await db.AuditDecisions.AsNoTracking().Where(d => d.OutletId == id && d.StartUtc >= chartFrom && d.StartUtc < dayEnd)
            .OrderByDescending(d => d.DecidedAtUtc).ToListAsync(ct);
        CanAudit = (await auth.AuthorizeAsync(User, Policies.DataAudit)).Succeeded;
        ChartJson = JsonSerializer.Serialize(new { unit = Factor.Unit, limit = Limit, points = View switch
        {
            "minute" => await MinutePointsAsync(id, code, from, to, rules.For(outlet.Medium), ct),
            "day" => await DayPointsAsync(id, code, ct),
            _ => chart.Select(h => new ChartPoint(Domain.Common.BeijingTime.FromUtc(h.HourUtc).ToString("MM-dd HH:00"), Round(h.Mean),
                Kind(h.Status, h.Suspect), h.Audited, Labels.Suspect(h.Suspect), h.Mass == MassSource.Substituted)).ToList(),
        } });
        return true;
    }

    private sealed record ChartPoint(string t, double? v, string s, bool a, string why, bool m);

    private static double? Round(double? v) => v is { } x ? Math.Round(x, 3) : null;

    private static string Kind(PeriodStatus status, SuspectReason suspect) =>
        status == PeriodStatus.Stopped ? "stopped" : status == PeriodStatus.Invalid ? "invalid" : suspect != SuspectReason.None ? "suspect" : "valid";

    /// <summary>The day's minute values, coloured by their data flag as the profile classes it.</summary>
    private async Task<List<ChartPoint>> MinutePointsAsync(int id, string code, DateTime from, DateTime to, ValidityProfile profile, CancellationToken ct)
    {
        var minute = ReadingKind.Minute;
        var readings = await db.Readings.AsNoTracking().Where(r => r.OutletId == id && r.FactorCode == code && r.Kind == minute && r.TimeUtc >= from && r.TimeUtc < to)
            .OrderBy(r => r.TimeUtc).Select(r => new { r.TimeUtc, r.Value, r.Flag }).ToListAsync(ct);
        return readings.Select(r =>
        {
            var flag = r.Flag.Length > 0 ? r.Flag[0] : 'N';
            var kind = profile.Classify(flag) switch
            {
                MinuteClass.Valid => "valid",
                MinuteClass.Stopped => "stopped",
                MinuteClass.Manual => "suspect",
                _ => "invalid",
            };
            return new ChartPoint(Domain.Common.BeijingTime.FromUtc(r.TimeUtc).ToString("HH:mm"), Round(r.Value), kind, false, "数据标记 " + flag, false);
        }).ToList();
    }

    /// <summary>The 31 days up to the chosen one.</summary>
    private async Task<List<ChartPoint>> DayPointsAsync(int id, string code, CancellationToken ct)
    {
        var first = Day.AddDays(-30);
        var days = await db.DayAggregates.AsNoTracking().Where(d => d.OutletId == id && d.FactorCode == code && d.Day >= first && d.Day <= Day)
            .OrderBy(d => d.Day).ToListAsync(ct);
        return days.Select(d => new ChartPoint(d.Day.ToString("MM-dd"), Round(d.Mean), Kind(d.Status, d.Suspect), d.Audited, Labels.Suspect(d.Suspect), d.SubstitutedHours > 0)).ToList();
    }
}
