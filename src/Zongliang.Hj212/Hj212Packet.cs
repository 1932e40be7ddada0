using System.Text;

namespace Zongliang.Hj212;

/// <summary>The values of one factor in a packet: numbers by suffix (Rtd, Avg, Min, Max, Cou, ZsAvg …) and the flags.</summary>
public sealed class FactorValues
{
    public Dictionary<string, double> Numbers { get; } = [];
    /// <summary>Data flag (table 8): N F M S D C T B.</summary>
    public string? Flag { get; set; }
    public string? EFlag { get; set; }
    public DateTime? SampleTime { get; set; }
    public string? Info { get; set; }
    /// <summary>A value that should have been a number was not one (text, NaN, an overflow such as 1e309): the factor's values are not to be trusted as a reading.</summary>
    public bool HasUnreadableNumber { get; set; }
}

/// <summary>A parsed data segment: header, the CP fields as sent, and the factors' values keyed by 2017 code.</summary>
public sealed class Hj212Packet
{
    public Hj212Version Version { get; init; }
    public string? Qn { get; init; }
    public string St { get; init; } = "";
    public string Cn { get; init; } = "";
    public string Pw { get; init; } = "";
    public string Mn { get; init; } = "";
    public int? Flag { get; init; }
    public int? PNum { get; init; }
    public int? PNo { get; init; }
    public string Cp { get; init; } = "";

    /// <summary>DataTime of the CP, local time of the logger.</summary>
    public DateTime? DataTime { get; set; }
    public DateTime? BeginTime { get; set; }
    public DateTime? EndTime { get; set; }

    /// <summary>
    /// Every CP field, raw key to raw value, in the order sent (a repeated key keeps its last value).
    /// Read from <see cref="Cp"/> when first asked for: the listener needs them for few packets, and as
    /// strings they were most of what parsing a packet allocated.
    /// </summary>
    public List<KeyValuePair<string, string>> Fields => _fields ??= ReadFields(Cp);

    private List<KeyValuePair<string, string>>? _fields;

    /// <summary>The raw value of a CP field (e.g. "SystemTime", "PolId"), or null when the packet has none.</summary>
    public string? Field(string key) => Fields.FirstOrDefault(f => f.Key == key).Value;

    /// <summary>Factor values keyed by HJ 212-2017 code (2005 codes mapped; unknown codes kept as sent).</summary>
    public Dictionary<string, FactorValues> Factors { get; } = [];

    public int CommandCode => int.TryParse(Cn, out var c) ? c : -1;

    public bool WantsAnswer => Flag is { } f && (f & 1) != 0;

    /// <summary>Reads a data segment; every field of CP is kept, and the factors' values are read as numbers.</summary>
    internal static Hj212Packet From(in Hj212Segment s, ref Hj212Warnings warnings)
    {
        var p = new Hj212Packet
        {
            Version = s.Version,
            Qn = s.Qn.IsEmpty ? null : Ascii(s.Qn),
            St = Ascii(s.St), Cn = Ascii(s.Cn), Pw = Ascii(s.Pw), Mn = Ascii(s.Mn),
            Flag = s.Flag < 0 ? null : s.Flag,
            PNum = s.PNum < 0 ? null : s.PNum,
            PNo = s.PNo < 0 ? null : s.PNo,
            Cp = Encoding.UTF8.GetString(s.Cp),
        };
        var reader = new CpReader(s.Cp);
        while (reader.MoveNext(out var f))
        {
            if (f.Suffix == CpSuffix.None)
            {
                if (f.Key.SequenceEqual("DataTime"u8)) p.DataTime = Time(f.Value, ref warnings);
                else if (f.Key.SequenceEqual("BeginTime"u8)) p.BeginTime = Time(f.Value, ref warnings);
                else if (f.Key.SequenceEqual("EndTime"u8)) p.EndTime = Time(f.Value, ref warnings);
                continue;
            }
            var kind = Hj212Codes.Resolve(f.Code, out var code2017);
            if (kind == Hj212Codes.CodeKind.Mapped2005) warnings |= Hj212Warnings.Code2005Mapped;
            if (kind == Hj212Codes.CodeKind.Unknown) warnings |= Hj212Warnings.UnknownFactorCode;
            var code = code2017 ?? Encoding.UTF8.GetString(f.Code);
            if (!p.Factors.TryGetValue(code, out var values)) p.Factors[code] = values = new FactorValues();
            switch (f.Suffix)
            {
                case CpSuffix.Flag:
                    var known = f.Value.Length == 1 && Hj212Codes.IsDataFlag(f.Value[0]);
                    values.Flag = known ? DataFlags[f.Value[0]] : Encoding.UTF8.GetString(f.Value);
                    if (!known) warnings |= Hj212Warnings.UnknownDataFlag;
                    break;
                case CpSuffix.EFlag: values.EFlag = Encoding.UTF8.GetString(f.Value); break;
                case CpSuffix.Info: values.Info = Encoding.UTF8.GetString(f.Value); break;
                case CpSuffix.SampleTime: values.SampleTime = Time(f.Value, ref warnings); break;
                default:
                    if (f.TryGetNumber(out var number))
                        values.Numbers[f.Suffix == CpSuffix.Other ? Encoding.ASCII.GetString(f.SuffixText) : SuffixNames[(int)f.Suffix]] = number;
                    else if (f.Suffix != CpSuffix.Other)
                    {
                        warnings |= Hj212Warnings.NotANumber;
                        values.HasUnreadableNumber = true;
                    }
                    break;
            }
        }
        warnings |= reader.Warnings;
        return p;
    }

    private static List<KeyValuePair<string, string>> ReadFields(string cp)
    {
        var fields = new List<KeyValuePair<string, string>>();
        var reader = new CpReader(Encoding.UTF8.GetBytes(cp));
        while (reader.MoveNext(out var f))
        {
            var key = Encoding.UTF8.GetString(f.Key);
            var value = Encoding.UTF8.GetString(f.Value);
            var existing = fields.FindIndex(kv => kv.Key == key);
            if (existing >= 0) fields[existing] = new(key, value);
            else fields.Add(new(key, value));
        }
        return fields;
    }

    // The names of the known suffixes, and the data flags as strings, so that a packet does not allocate them.
    private static readonly string[] SuffixNames = Enum.GetNames<CpSuffix>();
    private static readonly string[] DataFlags = [.. Enumerable.Range(0, 128).Select(c => ((char)c).ToString())];

    private static DateTime? Time(ReadOnlySpan<byte> v, ref Hj212Warnings warnings)
    {
        if (!Hj212Number.TryParseTime(v, out var t, out var ms))
        {
            warnings |= Hj212Warnings.NotANumber;
            return null;
        }
        if (ms) warnings |= Hj212Warnings.TimePrecision;
        return t;
    }

    private static string Ascii(ReadOnlySpan<byte> s) => Encoding.ASCII.GetString(s);
}
