namespace Zongliang.Domain.Common;

/// <summary>Times are stored in UTC and shown in Beijing time (UTC+8, no daylight saving).</summary>
public static class BeijingTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateTime FromUtc(DateTime utc) =>
        DateTime.SpecifyKind(DateTime.SpecifyKind(utc, DateTimeKind.Utc) + Offset, DateTimeKind.Unspecified);

    public static DateOnly Today(TimeProvider clock) => Date(clock.GetUtcNow().UtcDateTime);

    /// <summary>The Beijing day of a UTC instant (days begin at 00:00 UTC+8, i.e. 16:00 UTC the day before).</summary>
    public static DateOnly Date(DateTime utc) => DateOnly.FromDayNumber((int)((utc.Ticks + Offset.Ticks) / TimeSpan.TicksPerDay));

    /// <summary>UTC start of a Beijing day.</summary>
    public static DateTime DayStartUtc(DateOnly day) => new(day.DayNumber * TimeSpan.TicksPerDay - Offset.Ticks, DateTimeKind.Utc);

    /// <summary>A Beijing time (as a form or a logger gives it) in UTC; null for one too early to convert (0001-01-01 before 08:00).</summary>
    public static DateTime? ToUtc(DateTime local) =>
        local >= DateTime.MinValue + Offset ? DateTime.SpecifyKind(local - Offset, DateTimeKind.Utc) : null;

    public static string Format(DateTime utc) => FromUtc(utc).ToString("yyyy-MM-dd HH:mm");
}
