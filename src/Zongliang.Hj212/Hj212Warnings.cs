namespace Zongliang.Hj212;

/// <summary>
/// Deviations from the standard that the lenient mode accepts and reports (one bit each, so that
/// collecting them allocates nothing). Strict mode turns the ones marked "strict error" into errors.
/// </summary>
[Flags]
public enum Hj212Warnings : uint
{
    None = 0,
    /// <summary>Bytes before "##" were skipped.</summary>
    GarbageSkipped = 1 << 0,
    /// <summary>The CRC was sent in lower-case hex (strict error).</summary>
    LowercaseCrc = 1 << 1,
    /// <summary>The frame ended with "\n" alone instead of "\r\n" (strict error).</summary>
    BareLineFeed = 1 << 2,
    /// <summary>Header fields not in the order QN, ST, CN, PW, MN, Flag, PNUM, PNO (strict error).</summary>
    FieldsOutOfOrder = 1 << 3,
    /// <summary>ST is not in table 5 of the standard (strict error).</summary>
    UnknownSystemCode = 1 << 4,
    /// <summary>An empty item in CP, e.g. a trailing ";" (strict error).</summary>
    TrailingSeparator = 1 << 5,
    /// <summary>A header field separated by "," or the ";" before CP missing (strict error).</summary>
    WrongSeparator = 1 << 6,
    /// <summary>A CP item without "=" (strict error).</summary>
    ItemWithoutValue = 1 << 7,
    /// <summary>QN without milliseconds, or a time with milliseconds where seconds were due.</summary>
    TimePrecision = 1 << 8,
    /// <summary>A factor code that is in neither the 2017 tables nor the 2005 ones; kept as sent.</summary>
    UnknownFactorCode = 1 << 9,
    /// <summary>A data flag that is not one of N F M S D C T B; kept as sent.</summary>
    UnknownDataFlag = 1 << 10,
    /// <summary>A value that should be a number is not; kept as text.</summary>
    NotANumber = 1 << 11,
    /// <summary>Version bits in Flag beyond the known revisions.</summary>
    UnknownVersion = 1 << 12,
    /// <summary>A header field the standard does not define.</summary>
    UnknownHeaderField = 1 << 13,
    /// <summary>A 2005 factor code mapped to its 2017 code.</summary>
    Code2005Mapped = 1 << 14,
    /// <summary>Bytes after the closing "&amp;&amp;" of CP (strict error).</summary>
    TrailingBytes = 1 << 15,
}

public static class Hj212WarningText
{
    /// <summary>Stable snake-case names, for logs and the JSON of `zl hj212 parse`.</summary>
    public static IEnumerable<string> Names(Hj212Warnings w)
    {
        foreach (var flag in Enum.GetValues<Hj212Warnings>())
            if (flag != Hj212Warnings.None && (w & flag) == flag)
                yield return flag switch
                {
                    Hj212Warnings.GarbageSkipped => "garbage_skipped",
                    Hj212Warnings.LowercaseCrc => "lowercase_crc",
                    Hj212Warnings.BareLineFeed => "bare_line_feed",
                    Hj212Warnings.FieldsOutOfOrder => "fields_out_of_order",
                    Hj212Warnings.UnknownSystemCode => "unknown_system_code",
                    Hj212Warnings.TrailingSeparator => "trailing_separator",
                    Hj212Warnings.WrongSeparator => "wrong_separator",
                    Hj212Warnings.ItemWithoutValue => "item_without_value",
                    Hj212Warnings.TimePrecision => "time_precision",
                    Hj212Warnings.UnknownFactorCode => "unknown_factor_code",
                    Hj212Warnings.UnknownDataFlag => "unknown_data_flag",
                    Hj212Warnings.NotANumber => "not_a_number",
                    Hj212Warnings.UnknownVersion => "unknown_version",
                    Hj212Warnings.UnknownHeaderField => "unknown_header_field",
                    Hj212Warnings.Code2005Mapped => "code_2005_mapped",
                    Hj212Warnings.TrailingBytes => "trailing_bytes",
                    _ => flag.ToString(),
                };
    }

    /// <summary>The warnings that strict mode does not accept.</summary>
    public const Hj212Warnings StrictErrors =
        Hj212Warnings.LowercaseCrc | Hj212Warnings.BareLineFeed | Hj212Warnings.FieldsOutOfOrder |
        Hj212Warnings.UnknownSystemCode | Hj212Warnings.TrailingSeparator | Hj212Warnings.WrongSeparator |
        Hj212Warnings.ItemWithoutValue | Hj212Warnings.TrailingBytes;
}
