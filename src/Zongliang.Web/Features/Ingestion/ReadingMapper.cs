using Zongliang.Domain.Common;
using Zongliang.Domain.Monitoring;
using Zongliang.Hj212;

namespace Zongliang.Web.Features.Ingestion;

/// <summary>Turns a data packet (2011, 2051, 2061, 2031) into readings of its outlet.</summary>
public static class ReadingMapper
{
    /// <summary>Readings.FactorCode's length in the schema.</summary>
    public const int MaxFactorCodeLength = 16;

    public static ReadingKind? KindOf(int cn) => cn switch
    {
        2011 => ReadingKind.RealTime,
        2051 => ReadingKind.Minute,
        2061 => ReadingKind.Hour,
        2031 => ReadingKind.Day,
        _ => null,
    };

    /// <summary>DataTime is the logger's local (Beijing) time; readings are stored in UTC. Null for none, and for a time too early to convert (0001-01-01 00:00).</summary>
    public static DateTime? DataTimeUtc(Hj212Packet packet) => packet.DataTime is { } local ? BeijingTime.ToUtc(local) : null;

    /// <summary>Factors left out of <see cref="Map"/> because a value was not a finite number (NaN, 1e309, text).</summary>
    public static int Unreadable(Hj212Packet packet) => packet.Factors.Values.Count(v => v.HasUnreadableNumber);

    public static List<Reading> Map(Hj212Packet packet)
    {
        var readings = new List<Reading>();
        if (KindOf(packet.CommandCode) is not { } kind || DataTimeUtc(packet) is not { } time) return readings;
        foreach (var (code, v) in packet.Factors)
        {
            if (v.Numbers.Count == 0 && v.Flag is null) continue;
            // A value that is not a number (NaN, 1e309) is not stored as an empty one: the factor stays in the archive only.
            if (v.HasUnreadableNumber) continue;
            // A code too long for the readings table stays in the raw archive only: stored, it would fail
            // the whole batch (and every other device's frames in it) on a database that checks lengths.
            if (code.Length > MaxFactorCodeLength) continue;
            double? N(string suffix) => v.Numbers.TryGetValue(suffix, out var x) ? x : null;
            readings.Add(new Reading
            {
                FactorCode = code,
                Kind = kind,
                TimeUtc = time,
                Value = kind == ReadingKind.RealTime ? N("Rtd") : N("Avg"),
                Min = N("Min"),
                Max = N("Max"),
                Cou = N("Cou"),
                Corrected = kind == ReadingKind.RealTime ? N("ZsRtd") : N("ZsAvg"),
                Flag = v.Flag is { Length: <= 4 } f ? f : "",
            });
        }
        return readings;
    }
}
