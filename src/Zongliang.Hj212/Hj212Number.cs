using System.Buffers.Binary;
using System.Buffers.Text;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

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

    /// <summary>
    /// The same for a value of 1–8 characters given as the 8 bytes that end with it (the bytes before
    /// the value are ignored): sign, digits and one '.', without a branch per character. False for
    /// anything else (exponents, '+', more than one '.'), which <see cref="TryParseDouble"/> then reads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryParseShort(ReadOnlySpan<byte> last8, int length, out double value)
    {
        const ulong Ones = 0x0101010101010101, High = 0x8080808080808080, Zeros = 0x3030303030303030;
        var w = BinaryPrimitives.ReadUInt64LittleEndian(last8);
        var start = 8 - length; // the value's first byte
        var negative = (byte)(w >> (8 * start)) == (byte)'-';
        if (negative) start++;
        // The '.' (at most one; a second fails the digit check below). Exact per-byte test: no carries.
        var x = w ^ ('.' * Ones);
        var dots = ~((((x & ~High) + ~High) | x) & High) & High & (ulong.MaxValue << (8 * start));
        var decimals = 0;
        if (dots != 0)
        {
            var p = BitOperations.TrailingZeroCount(dots) >> 3;
            var below = (1UL << (8 * p)) - 1;
            // The bytes before the '.' move up one place and close the gap.
            w = (w & below) << 8 | (w & ~(below | 0xFFUL << (8 * p)));
            decimals = 7 - p;
            start++;
        }
        value = 0;
        if (start >= 8) return false; // no digit
        // Bytes before the number read as leading zeros.
        var keep = ulong.MaxValue << (8 * start);
        w = (w & keep) | (Zeros & ~keep);
        if (((w & 0xF0F0F0F0F0F0F0F0) | (((w + 0x0606060606060606) & 0xF0F0F0F0F0F0F0F0) >> 4)) != 0x3333333333333333)
            return false;
        // Eight digits, most significant first: pairs, quads, then the whole.
        w = (w & 0x0F0F0F0F0F0F0F0F) * 2561 >> 8;
        w = (w & 0x00FF00FF00FF00FF) * 6553601 >> 16;
        var mantissa = (long)((w & 0x0000FFFF0000FFFF) * 42949672960001 >> 32);
        value = decimals > 0 ? Divide(mantissa, decimals) : mantissa;
        if (negative) value = -value;
        return true;
    }

    /// <summary>
    /// mantissa / 10^decimals, correctly rounded, without the divider (a division costs as much as the
    /// rest of a number): q = m·y with y = RN(1/10^k), then one Newton step through the exact residual
    /// r = m − q·10^k (Markstein), which rounds to the same double as the division. Tested against the
    /// division for every mantissa of up to seven digits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double Divide(long mantissa, int decimals)
    {
        // decimals is 1–15: both tables have 16 entries.
        var p = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Pow10), decimals);
        if (!Fma.IsSupported) return mantissa / p;
        double m = mantissa, y = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(InversePow10), decimals);
        var q = m * y;
        var r = Math.FusedMultiplyAdd(-q, p, m);
        return Math.FusedMultiplyAdd(r, y, q);
    }

    private static readonly double[] Pow10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    // After Pow10: static fields are set in the order they are written.
    private static readonly double[] InversePow10 = [.. Pow10.Select(p => 1 / p)];

    /// <summary>
    /// YYYYMMDDhhmmss, or YYYYMMDDhhmmsszzz (with milliseconds). The time is the logger's local time
    /// (Beijing time in practice); the result's kind is unspecified.
    /// </summary>
    public static bool TryParseTime(ReadOnlySpan<byte> s, out DateTime time, out bool withMilliseconds)
    {
        time = default;
        withMilliseconds = s.Length == 17;
        if (s.Length is not (14 or 17) || s.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0) return false;
        int y = Two(s, 0) * 100 + Two(s, 2), mo = Two(s, 4), d = Two(s, 6), h = Two(s, 8), mi = Two(s, 10), se = Two(s, 12),
            ms = s.Length == 17 ? Two(s, 14) * 10 + (s[16] - '0') : 0;
        if (y < 1 || mo is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, mo) || h > 23 || mi > 59 || se > 59)
            return false;
        time = new DateTime(y, mo, d, h, mi, se, ms, DateTimeKind.Unspecified);
        return true;
    }

    /// <summary>Two decimal digits (already checked) at i.</summary>
    private static int Two(ReadOnlySpan<byte> s, int i) => (s[i] - '0') * 10 + (s[i + 1] - '0');

    public static string FormatTime(DateTime t) => t.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);

    public static string FormatQn(DateTime t) => t.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
}
