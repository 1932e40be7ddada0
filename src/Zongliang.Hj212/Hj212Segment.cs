using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Zongliang.Hj212;

/// <summary>
/// The data segment's header (HJ 212-2017 §6.3.2, table 3) as slices of the input: QN, ST, CN, PW, MN,
/// Flag, PNUM, PNO, and CP's data area (between "CP=&amp;&amp;" and the closing "&amp;&amp;").
/// </summary>
public ref struct Hj212Segment
{
    public ReadOnlySpan<byte> Qn;
    public ReadOnlySpan<byte> St;
    public ReadOnlySpan<byte> Cn;
    public ReadOnlySpan<byte> Pw;
    public ReadOnlySpan<byte> Mn;
    /// <summary>0–255, or -1 when the packet has no Flag (HJ/T 212-2005 form).</summary>
    public int Flag;
    /// <summary>-1 when absent.</summary>
    public int PNum;
    /// <summary>-1 when absent.</summary>
    public int PNo;
    public ReadOnlySpan<byte> Cp;
    public Hj212Version Version;
    public Hj212Warnings Warnings;

    /// <summary>Flag bit A: the sender wants an answer (HJ 212-2017 table 3).</summary>
    public readonly bool WantsAnswer => Flag >= 0 && (Flag & 1) != 0;

    /// <summary>Flag bit D: the packet is one part of a split message, with PNUM and PNO.</summary>
    public readonly bool IsPart => Flag >= 0 && (Flag & 2) != 0;

    public readonly int CommandCode => Hj212Number.ParseInt(Cn);

    // Header fields in the order of table 3.
    private const int OrderQn = 0, OrderSt = 1, OrderCn = 2, OrderPw = 3, OrderMn = 4, OrderFlag = 5, OrderPnum = 6, OrderPno = 7;

    /// <summary>
    /// Reads the header. Returns false for a segment that cannot be read (no CP, no ST/CN/PW/MN, a Flag
    /// that is not a number); deviations a lenient reader accepts are in <see cref="Warnings"/>.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out Hj212Segment segment)
    {
        segment = default;
        segment.Flag = segment.PNum = segment.PNo = -1;

        // The first '&' is nearly always CP's: one single-byte search instead of a five-byte one.
        var amp = data.IndexOf((byte)'&');
        var cp = amp >= 3 && data[(amp - 3)..].StartsWith("CP=&&"u8) ? amp - 3 : data.IndexOf("CP=&&"u8);
        if (cp < 0) return false;
        var body = data[(cp + 5)..];
        var close = body.EndsWith("&&"u8) ? body.Length - 2 : body.LastIndexOf("&&"u8);
        if (close < 0) return false;
        if (close + 2 != body.Length) segment.Warnings |= Hj212Warnings.TrailingBytes;
        segment.Cp = body[..close];

        var header = data[..cp];
        // "Flag=5CP=&&…": the ";" before CP is missing (seen in the standard's own table C.18).
        if (header.Length > 0 && header[^1] != (byte)';') segment.Warnings |= Hj212Warnings.WrongSeparator;

        // Every ',' in the header is a separator where ';' belongs.
        if (header.Contains((byte)',')) segment.Warnings |= Hj212Warnings.WrongSeparator;
        var last = -1;
        var fields = new CpReader(header);
        while (fields.MoveNext(out var field))
        {
            var name = field.Key;
            var value = field.Value;
            if (name.IsEmpty || (fields.Warnings & Hj212Warnings.ItemWithoutValue) != 0) return false;
            int order;
            switch (Pack(name))
            {
                case 'Q' | 'N' << 8: segment.Qn = value; order = OrderQn; break;
                case 'S' | 'T' << 8: segment.St = value; order = OrderSt; break;
                case 'C' | 'N' << 8: segment.Cn = value; order = OrderCn; break;
                case 'P' | 'W' << 8: segment.Pw = value; order = OrderPw; break;
                case 'M' | 'N' << 8: segment.Mn = value; order = OrderMn; break;
                case 'F' | 'l' << 8 | 'a' << 16 | 'g' << 24:
                    segment.Flag = Hj212Number.ParseInt(value);
                    if (segment.Flag is < 0 or > 255) return false;
                    order = OrderFlag;
                    break;
                case 'P' | 'N' << 8 | 'U' << 16 | 'M' << 24: segment.PNum = Hj212Number.ParseInt(value); order = OrderPnum; break;
                case 'P' | 'N' << 8 | 'O' << 16: segment.PNo = Hj212Number.ParseInt(value); order = OrderPno; break;
                default: segment.Warnings |= Hj212Warnings.UnknownHeaderField; continue;
            }
            if (order < last) segment.Warnings |= Hj212Warnings.FieldsOutOfOrder;
            last = order;
        }

        if (segment.St.IsEmpty || segment.Cn.IsEmpty || segment.Mn.IsEmpty || segment.Pw.IsEmpty) return false;
        if (Hj212Number.ParseInt(segment.Cn) < 0) return false;
        if (!Hj212Codes.IsKnownSystemCode(segment.St)) segment.Warnings |= Hj212Warnings.UnknownSystemCode;
        // QN=YYYYMMDDhhmmsszzz (table 3): 17 digits; some loggers leave out the milliseconds.
        if (!segment.Qn.IsEmpty)
        {
            if (segment.Qn.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0 || segment.Qn.Length is < 14 or > 20) return false;
            if (segment.Qn.Length != 17) segment.Warnings |= Hj212Warnings.TimePrecision;
        }
        if (segment.IsPart && (segment.PNum < 1 || segment.PNo < 1 || segment.PNo > segment.PNum)) return false;

        // Flag bits V5–V0 carry the version (table 3): 000000 is HJ/T 212-2005, 000001 is HJ 212-2017.
        segment.Version = (segment.Flag < 0 ? 0 : segment.Flag >> 2) switch
        {
            0 => Hj212Version.V2005,
            1 => Hj212Version.V2017,
            2 => Hj212Version.V2025,
            _ => Hj212Version.V2025,
        };
        if (segment.Flag >> 2 > 2) segment.Warnings |= Hj212Warnings.UnknownVersion;
        return true;
    }

    /// <summary>Up to four ASCII bytes as one integer (first byte lowest), for switching on short names; 0 for longer ones.</summary>
    internal static int Pack(ReadOnlySpan<byte> s)
    {
        if (s.Length is 0 or > 4) return 0;
        var v = 0;
        for (var i = s.Length - 1; i >= 0; i--) v = v << 8 | s[i];
        return v;
    }
}

/// <summary>Field suffixes of the CP data area (HJ 212-2017 table 4).</summary>
public enum CpSuffix : byte
{
    None, Rtd, Avg, Min, Max, Cou, Flag, EFlag, SampleTime, ZsRtd, ZsAvg, ZsMin, ZsMax, Info, Other,
}

/// <summary>One "key=value" of the CP data area; the key split at '-' into code and suffix.</summary>
public readonly ref struct CpField
{
    public CpField(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool startsItem) : this(key, value, startsItem, key.LastIndexOf((byte)'-'), value) { }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal CpField(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool startsItem, int dash, ReadOnlySpan<byte> through)
    {
        Key = key;
        Value = value;
        _through = through;
        StartsItem = startsItem;
        Code = dash < 0 ? key : key[..dash];
        SuffixText = dash < 0 ? default : key[(dash + 1)..];
        Suffix = dash < 0 ? CpSuffix.None : ParseSuffix(SuffixText);
    }

    // The data area from its start to the end of the value: the bytes before the value may be read
    // (never used) so that a short number is read in one 8-byte load.
    private readonly ReadOnlySpan<byte> _through;

    public ReadOnlySpan<byte> Key { get; }
    public ReadOnlySpan<byte> Value { get; }

    /// <summary>The value as a number of type N (see <see cref="Hj212Number.TryParseDouble"/>).</summary>
    public bool TryGetNumber(out double value) =>
        _through.Length >= 8 && Value.Length is > 0 and <= 8
            ? Hj212Number.TryParseShort(_through[^8..], Value.Length, out value) || Hj212Number.TryParseDouble(Value, out value)
            : Hj212Number.TryParseDouble(Value, out value);
    /// <summary>The code before '-' (e.g. w01018), or the whole key for fields such as DataTime.</summary>
    public ReadOnlySpan<byte> Code { get; }
    public ReadOnlySpan<byte> SuffixText { get; }
    public CpSuffix Suffix { get; }
    /// <summary>True for the first field after a ';' (a new item), false after a ','.</summary>
    public bool StartsItem { get; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static CpSuffix ParseSuffix(ReadOnlySpan<byte> s) => s.Length switch
    {
        3 => (s[0] | s[1] << 8 | s[2] << 16) switch
        {
            'R' | 't' << 8 | 'd' << 16 => CpSuffix.Rtd,
            'A' | 'v' << 8 | 'g' << 16 => CpSuffix.Avg,
            'M' | 'i' << 8 | 'n' << 16 => CpSuffix.Min,
            'M' | 'a' << 8 | 'x' << 16 => CpSuffix.Max,
            'C' | 'o' << 8 | 'u' << 16 => CpSuffix.Cou,
            _ => CpSuffix.Other,
        },
        4 => (s[0] | s[1] << 8 | s[2] << 16 | s[3] << 24) switch
        {
            'F' | 'l' << 8 | 'a' << 16 | 'g' << 24 => CpSuffix.Flag,
            'I' | 'n' << 8 | 'f' << 16 | 'o' << 24 => CpSuffix.Info,
            _ => CpSuffix.Other,
        },
        5 when s.SequenceEqual("EFlag"u8) => CpSuffix.EFlag,
        5 when s.SequenceEqual("ZsRtd"u8) => CpSuffix.ZsRtd,
        5 when s.SequenceEqual("ZsAvg"u8) => CpSuffix.ZsAvg,
        5 when s.SequenceEqual("ZsMin"u8) => CpSuffix.ZsMin,
        5 when s.SequenceEqual("ZsMax"u8) => CpSuffix.ZsMax,
        10 when s.SequenceEqual("SampleTime"u8) => CpSuffix.SampleTime,
        _ => CpSuffix.Other,
    };
}

/// <summary>
/// Walks the CP data area (HJ 212-2017 §6.3.3.1): items separated by ';', sub-items by ',', each a
/// "field=value" pair. Empty items (a trailing ';') and items without '=' are reported in <see cref="Warnings"/>.
/// </summary>
public ref struct CpReader(ReadOnlySpan<byte> cp)
{
    private readonly ReadOnlySpan<byte> _cp = cp;
    private int _pos;
    private bool _newItem = true;

    public Hj212Warnings Warnings { get; private set; }

    public bool MoveNext(out CpField field)
    {
        while (_pos < _cp.Length)
        {
            var start = _pos;
            var s = _cp[start..];
            if (!Scan(out var i, out var eq, out var dash)) ScanBytes(s, out i, out eq, out dash);
            var item = s[..i];
            var startsItem = _newItem;
            if (i < s.Length)
            {
                _newItem = s[i] == (byte)';';
                _pos += i + 1;
                if (_pos == _cp.Length) Warnings |= Hj212Warnings.TrailingSeparator;
            }
            else
            {
                _newItem = true;
                _pos = _cp.Length;
            }
            if (item.IsEmpty)
            {
                Warnings |= Hj212Warnings.TrailingSeparator;
                continue;
            }
            if (eq < 0)
            {
                Warnings |= Hj212Warnings.ItemWithoutValue;
                field = new CpField(item, default, startsItem, dash, default);
                return true;
            }
            field = new CpField(item[..eq], item[(eq + 1)..], startsItem, dash, _cp[..(start + i)]);
            return true;
        }
        field = default;
        return false;
    }

    /// <summary>
    /// The item at the current position from one 64-byte window compared at once: i is the separator
    /// (or the end), eq the first '=', dash the last '-' before it (-1 when absent). The window is the
    /// 64 bytes from the position, or the last 64 of the data area near its end; false when there is no
    /// such window (a short data area, no wide vectors) or the item is longer than it.
    /// </summary>
    private readonly bool Scan(out int i, out int eq, out int dash)
    {
        i = eq = dash = -1;
        if (!Vector512.IsHardwareAccelerated || _cp.Length < 64) return false;
        var at = Math.Min(_pos, _cp.Length - 64);
        var shift = _pos - at;
        var v = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(_cp), (nuint)at);
        var separators = (Vector512.Equals(v, Vector512.Create((byte)';')) | Vector512.Equals(v, Vector512.Create((byte)','))).ExtractMostSignificantBits() >> shift;
        if (separators == 0)
        {
            if (at + 64 != _cp.Length) return false; // longer than the window
            i = _cp.Length - _pos;
        }
        else i = BitOperations.TrailingZeroCount(separators);
        var before = i >= 64 ? ulong.MaxValue : (1UL << i) - 1;
        var equals = Vector512.Equals(v, Vector512.Create((byte)'=')).ExtractMostSignificantBits() >> shift & before;
        var keyEnd = equals == 0 ? i : BitOperations.TrailingZeroCount(equals);
        eq = equals == 0 ? -1 : keyEnd;
        var dashes = Vector512.Equals(v, Vector512.Create((byte)'-')).ExtractMostSignificantBits() >> shift
            & (keyEnd >= 64 ? ulong.MaxValue : (1UL << keyEnd) - 1);
        dash = dashes == 0 ? -1 : 63 - BitOperations.LeadingZeroCount(dashes);
        return true;
    }

    /// <summary>The same, a byte at a time: the first '=', the last '-' before it, and the separator.</summary>
    private static void ScanBytes(ReadOnlySpan<byte> s, out int i, out int eq, out int dash)
    {
        eq = dash = -1;
        for (i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c > (byte)'=') continue; // letters: the common case
            if (c == (byte)';' || c == (byte)',') break;
            if (eq < 0)
            {
                if (c == (byte)'=') eq = i;
                else if (c == (byte)'-') dash = i;
            }
        }
    }
}
