using Zongliang.Domain.Registry;

namespace Zongliang.Domain.Monitoring.Comparison;

/// <summary>A comparison due: a key unique per outlet (the task is created once), a label for people, and the due date.</summary>
public sealed record ComparisonDue(string Key, string Label, DateOnly Due);

/// <summary>
/// When comparison tests are due (M6): a continuous producer once a quarter (due at the quarter's
/// end); a seasonal producer twice in each production period (due at its middle and at its end).
/// </summary>
public static class ComparisonSchedule
{
    /// <summary>The comparisons of the period that contains <paramref name="today"/> (none for a seasonal producer out of season).</summary>
    public static IReadOnlyList<ComparisonDue> Current(ProductionMode mode, IReadOnlyList<ProductionPeriod> periods, DateOnly today)
    {
        if (mode == ProductionMode.Continuous || periods.Count == 0)
        {
            var quarter = (today.Month - 1) / 3 + 1;
            var end = new DateOnly(today.Year, quarter * 3, 1).AddMonths(1).AddDays(-1);
            return [new ComparisonDue($"{today.Year}Q{quarter}", $"{today.Year}年第{quarter}季度", end)];
        }
        var result = new List<ComparisonDue>();
        foreach (var period in periods.Where(p => p.Contains(today)))
        {
            var (start, end) = Bounds(period, today);
            var middle = start.AddDays((end.DayNumber - start.DayNumber) / 2);
            var key = $"{start:yyyyMMdd}";
            var label = $"生产期 {start:yyyy-MM-dd}~{end:yyyy-MM-dd}";
            result.Add(new ComparisonDue($"{key}-1", $"{label} 第1次", middle));
            result.Add(new ComparisonDue($"{key}-2", $"{label} 第2次", end));
        }
        return result;
    }

    /// <summary>The dates of the occurrence of <paramref name="period"/> that contains <paramref name="day"/> (it may cross the year end).</summary>
    public static (DateOnly Start, DateOnly End) Bounds(ProductionPeriod period, DateOnly day)
    {
        var crosses = period.StartMonth * 100 + period.StartDay > period.EndMonth * 100 + period.EndDay;
        var startYear = crosses && day.Month * 100 + day.Day <= period.EndMonth * 100 + period.EndDay ? day.Year - 1 : day.Year;
        var start = new DateOnly(startYear, period.StartMonth, Math.Min(period.StartDay, DateTime.DaysInMonth(startYear, period.StartMonth)));
        var endYear = crosses ? startYear + 1 : startYear;
        var end = new DateOnly(endYear, period.EndMonth, Math.Min(period.EndDay, DateTime.DaysInMonth(endYear, period.EndMonth)));
        return (start, end);
    }
}
