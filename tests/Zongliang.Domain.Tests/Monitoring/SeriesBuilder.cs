using Zongliang.Domain.Monitoring.Validity;

namespace Zongliang.Domain.Tests.Monitoring;

/// <summary>Builds minute series for the validity tests: a start, an interval, and values with flags.</summary>
internal static class SeriesBuilder
{
    /// <summary>A Beijing midnight (16:00 UTC the day before), so hours and days line up in the tests.</summary>
    public static readonly DateTime Start = new(2026, 3, 31, 16, 0, 0, DateTimeKind.Utc);

    public static readonly ValidityProfile Gas = ValidityProfile.Load("gas");

    public static readonly ValidityProfile Water = ValidityProfile.Load("water");

    public static FactorSeries Series(string factor, int intervalMinutes, IEnumerable<(double Value, char Flag)> values, DateTime? start = null)
    {
        var t = start ?? Start;
        return new FactorSeries(factor, values.Select((v, i) => new MinuteValue(t.AddMinutes(i * intervalMinutes), v.Value, v.Flag)).ToArray());
    }

    public static IEnumerable<(double, char)> Repeat(int count, double value, char flag = 'N') =>
        Enumerable.Repeat((value, flag), count);

    /// <summary>Values that change every point, so no repeat check fires.</summary>
    public static IEnumerable<(double, char)> Varying(int count, double around, char flag = 'N') =>
        Enumerable.Range(0, count).Select(i => (around + (i % 7) * 0.1, flag));

    public static HourValue[] Hours(ValidityProfile profile, FactorSeries series, int hours, FactorSeries? flow = null, IReadOnlyList<AuditOverride>? decisions = null) =>
        ValidityEngine.EvaluateHours(profile, series, flow, Start, Start.AddHours(hours), decisions);
}
