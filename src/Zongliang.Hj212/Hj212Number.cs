using System.Buffers.Text;

namespace Zongliang.Hj212;

/// <summary>Numbers and times of the protocol, read from ASCII without allocating.</summary>
public static class Hj212Number
{
    /// <summary>A non-negative decimal integer of at most 9 digits, or -1.</summary>
    public static int ParseInt(ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty || s.Length > 9) return -1;
        var v = 0;
        foreach (var c in s)
        {
            if (c is < (byte)'0' or > (byte)'9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /// <summary>A value of type N (table 6.3.3.2.2): optional sign, digits, optional decimals; also exponent forms some loggers send.</summary>
    public static bool TryParseDouble(ReadOnlySpan<byte> s, out double value) =>
        Utf8Parser.TryParse(s, out value, out var used) && used == s.Length && double.IsFinite(value);

    /// <summary>
    /// YYYYMMDDhhmmss, or YYYYMMDDhhmmsszzz (with milliseconds). The time is the logger's local time
    /// (Beijing time in practice); the result's kind is unspecified.
    /// </summary>
    public static bool TryParseTime(ReadOnlySpan<byte> s, out DateTime time, out bool withMilliseconds)
    {
        time = default;
        withMilliseconds = s.Length == 17;
        if (s.Length is not (14 or 17)) return false;
        int y = ParseInt(s[..4]), mo = ParseInt(s.Slice(4, 2)), d = ParseInt(s.Slice(6, 2)), h = ParseInt(s.Slice(8, 2)),
            mi = ParseInt(s.Slice(10, 2)), se = ParseInt(s.Slice(12, 2)), ms = s.Length == 17 ? ParseInt(s.Slice(14, 3)) : 0;
        if (y < 1 || mo is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, mo) || h is < 0 or > 23 || mi is < 0 or > 59 || se is < 0 or > 59 || ms < 0)
            return false;
        time = new DateTime(y, mo, d, h, mi, se, ms, DateTimeKind.Unspecified);
        return true;
    }

    public static string FormatTime(DateTime t) => t.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);

    public static string FormatQn(DateTime t) => t.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
}
