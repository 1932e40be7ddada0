namespace Zongliang.Domain.Warnings;

/// <summary>One period (hour or Beijing day) of a factor: its start and its valid value, or null when it has none.</summary>
public readonly record struct PeriodPoint(DateTime StartUtc, double? Value);

/// <summary>
/// A run of periods at or over the pre-warning threshold. <see cref="Open"/>: the last valid period
/// is still over it, so the episode goes on; otherwise it ended when a valid period came back under it.
/// </summary>
public sealed record ExceedanceEpisode(DateTime StartUtc, DateTime LastUtc, WarningLevel Level, double Peak, int Periods, int OverPeriods, int LongestRun, bool Open);

/// <summary>
/// Exceedance levels of M9: yellow at the pre-warning share of the limit (80 % by default), orange
/// over the limit, red for a run of consecutive periods over the limit (3 by default). Periods
/// without a valid value neither end nor extend an episode: only valid data say the discharge is
/// back to normal.
/// </summary>
public static class ExceedanceEvaluator
{
    public static List<ExceedanceEpisode> Episodes(IReadOnlyList<PeriodPoint> points, double limit, double preWarningPercent, int continuousPeriods)
    {
        var episodes = new List<ExceedanceEpisode>();
        if (limit <= 0) return episodes;
        var pre = limit * preWarningPercent / 100;
        DateTime? start = null;
        DateTime last = default;
        double peak = 0;
        int periods = 0, over = 0, run = 0, longest = 0;
        foreach (var p in points.OrderBy(p => p.StartUtc))
        {
            if (p.Value is not { } v || double.IsNaN(v)) continue;
            if (v >= pre)
            {
                start ??= p.StartUtc;
                last = p.StartUtc;
                peak = periods == 0 ? v : Math.Max(peak, v);
                periods++;
                if (v > limit)
                {
                    over++;
                    run++;
                    longest = Math.Max(longest, run);
                }
                else run = 0;
            }
            else if (start is not null)
            {
                episodes.Add(Make(start.Value, last, peak, periods, over, longest, continuousPeriods, open: false));
                start = null;
                periods = over = run = longest = 0;
            }
        }
        if (start is not null)
            episodes.Add(Make(start.Value, last, peak, periods, over, longest, continuousPeriods, open: true));
        return episodes;
    }

    private static ExceedanceEpisode Make(DateTime start, DateTime last, double peak, int periods, int over, int longest, int continuous, bool open) =>
        new(start, last, longest >= continuous ? WarningLevel.Red : over > 0 ? WarningLevel.Orange : WarningLevel.Yellow, peak, periods, over, longest, open);

    /// <summary>The level of a cumulative mass against its total: the highest of the three percents reached, or null below the first.</summary>
    public static WarningLevel? AnnualLevel(double cumulative, double total, IReadOnlyList<double> percents)
    {
        if (total <= 0 || percents.Count != 3) return null;
        var share = cumulative / total * 100;
        return share >= percents[2] ? WarningLevel.Red : share >= percents[1] ? WarningLevel.Orange : share >= percents[0] ? WarningLevel.Yellow : null;
    }
}
