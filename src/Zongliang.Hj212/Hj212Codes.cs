using System.Buffers.Binary;

namespace Zongliang.Hj212;

public enum Hj212Version : byte
{
    /// <summary>HJ/T 212-2005: no Flag, or Flag version bits 000000.</summary>
    V2005,
    /// <summary>HJ 212-2017: Flag version bits 000001.</summary>
    V2017,
    /// <summary>
    /// The 2025 revision: Flag version bits 000010. An assumption: the next number after 2017's; the
    /// revision's text was not at hand. Version bits above 2 are read as this one, with a warning.
    /// </summary>
    V2025,
}

/// <summary>Code tables: factor codes (Appendix B, 2005 ↔ 2017), system codes (table 5), data flags (table 8).</summary>
public static partial class Hj212Codes
{
    private static readonly Dictionary<ulong, string> Codes2017 = [];
    private static readonly Dictionary<ulong, string> From2005 = [];
    private static readonly Dictionary<string, (string Name, string Code2005)> Info = [];

    static Hj212Codes()
    {
        foreach (var (code, name, code2005) in AppendixB)
        {
            Codes2017[Key(System.Text.Encoding.ASCII.GetBytes(code))] = code;
            Info[code] = (name, code2005);
            if (code2005.Length > 0) From2005[Key(System.Text.Encoding.ASCII.GetBytes(code2005))] = code;
        }
    }

    public static IReadOnlyCollection<string> All2017 => Info.Keys;

    public static string Name(string code2017) => Info.TryGetValue(code2017, out var i) ? i.Name : "";

    public static string Code2005Of(string code2017) => Info.TryGetValue(code2017, out var i) ? i.Code2005 : "";

    public static string VersionText(Hj212Version v) => v switch { Hj212Version.V2005 => "2005", Hj212Version.V2017 => "2017", _ => "2025" };

    public enum CodeKind : byte { Code2017, Mapped2005, OtherFamily, Unknown }

    /// <summary>
    /// Resolves a factor code as sent: a 2017 code stays; a 2005 code (011, 02, B01, S01 …) becomes its
    /// 2017 code; other families of Appendix B (noise L…, process e…, information i…, equipment SB…)
    /// pass as they are; a code shaped like a pollutant code but in no table is unknown (kept as sent).
    /// </summary>
    public static CodeKind Resolve(ReadOnlySpan<byte> code, out string? code2017)
    {
        code2017 = null;
        if (code.Length is 0 or > 8) return CodeKind.Unknown;
        var key = Key(code);
        if (Codes2017.TryGetValue(key, out code2017)) return CodeKind.Code2017;
        if (From2005.TryGetValue(key, out code2017)) return CodeKind.Mapped2005;
        var looksLikePollutant = (code.Length == 6 && code[0] is (byte)'w' or (byte)'a' && IsDigits(code[1..]))
            || (code.Length is 2 or 3 && IsDigits(code))
            || (code.Length == 3 && code[0] is (byte)'B' or (byte)'S' && IsDigits(code[1..]));
        return looksLikePollutant ? CodeKind.Unknown : CodeKind.OtherFamily;
    }

    /// <summary>HJ 212-2017 table 5 (system codes).</summary>
    public static bool IsKnownSystemCode(ReadOnlySpan<byte> st) =>
        st.Length == 2 && IsDigits(st) && ((st[0] - '0') * 10 + (st[1] - '0')) is (>= 21 and <= 27) or (>= 31 and <= 39) or 41 or 51 or 52 or 91;

    /// <summary>HJ 212-2017 table 8: N normal, F stopped, M maintenance, S set by hand, D fault, C calibration, T over range, B communication.</summary>
    public static bool IsDataFlag(byte flag) => flag is (byte)'N' or (byte)'F' or (byte)'M' or (byte)'S' or (byte)'D' or (byte)'C' or (byte)'T' or (byte)'B';

    private static bool IsDigits(ReadOnlySpan<byte> s) => s.Length > 0 && s.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;

    private static ulong Key(ReadOnlySpan<byte> code)
    {
        Span<byte> b = stackalloc byte[8];
        b.Clear();
        code.CopyTo(b);
        return BinaryPrimitives.ReadUInt64LittleEndian(b);
    }
}
