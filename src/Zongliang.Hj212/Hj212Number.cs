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
    public static bool TryParseDouble(ReadOnlySpan<byte> s, out double value)
    {
        // Fast path for what loggers send ("40.1", "-0.25", "1512"): up to 15 significant digits and
        // at most 15 decimals. Both mantissa and 10^k are exact doubles, and IEEE division rounds
        // correctly, so the result is the same as a full parse.
        var i = 0;
        var negative = false;
        if (s.Length > 0 && (s[0] == (byte)'-' || s[0] == (byte)'+')) { negative = s[0] == (byte)'-'; i = 1; }
        long mantissa = 0;
        int digits = 0, decimals = -1;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c is >= (byte)'0' and <= (byte)'9')
            {
                mantissa = mantissa * 10 + (c - '0');
                if (++digits > 15) goto Slow;
                if (decimals >= 0) decimals++;
            }
            else if (c == (byte)'.' && decimals < 0) decimals = 0;
            else goto Slow;
        }
        if (digits == 0) goto Slow;
        value = decimals > 0 ? mantissa / Pow10[decimals] : mantissa;
        if (negative) value = -value;
        return true;
    Slow:
        return Utf8Parser.TryParse(s, out value, out var used) && used == s.Length && double.IsFinite(value);
    }

    private static readonly double[] Pow10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

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
