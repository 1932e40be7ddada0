using Zongliang.Domain.Common;

namespace Zongliang.Domain.Monitoring;

/// <summary>What the listener makes of a data packet's DataTime.</summary>
public enum DataTimeVerdict
{
    /// <summary>Within the window: the readings are stored.</summary>
    Plausible = 0,
    /// <summary>No DataTime, or one that is not a time: the packet carries no period to file its values under.</summary>
    Missing = 1,
    /// <summary>Later than now plus <see cref="DataTimeWindow.Ahead"/>: the logger's clock runs ahead.</summary>
    Future = 2,
    /// <summary>Before the device was registered: a reset clock (its battery), or a logger's old test data.</summary>
    BeforeRegistration = 3,
    /// <summary>Older than <see cref="DataTimeWindow.MaxAge"/>.</summary>
    TooOld = 4,
}

/// <summary>
/// The DataTimes a data packet (2011, 2051, 2061, 2031) may plausibly carry. A logger whose clock
/// battery was reset reports 2000-01-01 (or 0001-01-01); stored, such values would file a day's data
/// decades back, and the aggregates from there to now would be recomputed. Outside the window a
/// packet is archived and answered, but its values are kept out of the readings, and the device
/// shows a clock fault. Both bounds are platform defaults, set in configuration (Hj212:DataTimeAhead,
/// Hj212:DataTimeMaxAge); the standard sets none.
/// </summary>
public sealed record DataTimeWindow(TimeSpan Ahead, TimeSpan MaxAge)
{
    /// <summary>One day ahead: loggers in another time zone setting, or a clock drifted by hours, still count.</summary>
    public static readonly TimeSpan DefaultAhead = TimeSpan.FromDays(1);

    /// <summary>90 days back: a logger that was cut off for weeks sends its stored history (补传) when it reconnects.</summary>
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromDays(90);

    public static DataTimeWindow Default { get; } = new(DefaultAhead, DefaultMaxAge);

    /// <summary>
    /// Judges a DataTime in the logger's local (Beijing) time, as sent, against the platform's clock
    /// and the device's registration. Works in local time, so that 0001-01-01 and 9999-12-31 are
    /// judged, not turned into an overflow.
    /// </summary>
    public DataTimeVerdict Judge(DateTime? loggerLocal, DateTime nowUtc, DateTime registeredUtc)
    {
        if (loggerLocal is not { } t) return DataTimeVerdict.Missing;
        var now = BeijingTime.FromUtc(nowUtc);
        if (t > now + Ahead) return DataTimeVerdict.Future;
        if (t < BeijingTime.FromUtc(registeredUtc)) return DataTimeVerdict.BeforeRegistration;
        if (t < now - MaxAge) return DataTimeVerdict.TooOld;
        return DataTimeVerdict.Plausible;
    }

    /// <summary>How the device page and the warning name a verdict.</summary>
    public static string Describe(DataTimeVerdict verdict) => verdict switch
    {
        DataTimeVerdict.Missing => "数据时间缺失或无法识别",
        DataTimeVerdict.Future => "数据时间超前于平台时间",
        DataTimeVerdict.BeforeRegistration => "数据时间早于设备登记时间",
        DataTimeVerdict.TooOld => "数据时间过旧",
        _ => "数据时间正常",
    };
}

/// <summary>
/// A device's clock fault (时钟异常): data packets whose DataTime fell outside the
/// <see cref="DataTimeWindow"/>. One row per device, kept up to date by the listener; the device page
/// shows it, and a warning stands while faults keep coming.
/// </summary>
public sealed class DeviceClockFault
{
    private DeviceClockFault() { }

    public int DeviceId { get; private set; }
    /// <summary>When the first packet of this run of faults arrived.</summary>
    public DateTime FirstAtUtc { get; private set; }
    /// <summary>When the last faulty packet arrived.</summary>
    public DateTime LastAtUtc { get; private set; }
    /// <summary>The last faulty DataTime as the logger sent it (local time, yyyy-MM-dd HH:mm:ss).</summary>
    public string LastDataTime { get; private set; } = "";
    public DataTimeVerdict Verdict { get; private set; }
    /// <summary>Faulty packets in this run.</summary>
    public long Packets { get; private set; }

    /// <summary>A run of faults ends when none came for this long; the next fault begins a new run.</summary>
    public static readonly TimeSpan RunGap = TimeSpan.FromHours(1);

    public static DeviceClockFault Start(int deviceId, DateTime atUtc, string dataTime, DataTimeVerdict verdict, long packets) => new()
    {
        DeviceId = deviceId, FirstAtUtc = atUtc, LastAtUtc = atUtc, LastDataTime = dataTime, Verdict = verdict, Packets = packets,
    };

    /// <summary>More faulty packets; after a quiet <see cref="RunGap"/> they begin a new run.</summary>
    public void Add(DateTime atUtc, string dataTime, DataTimeVerdict verdict, long packets)
    {
        if (atUtc - LastAtUtc > RunGap)
        {
            FirstAtUtc = atUtc;
            Packets = 0;
        }
        if (atUtc > LastAtUtc) LastAtUtc = atUtc;
        LastDataTime = dataTime;
        Verdict = verdict;
        Packets += packets;
    }

    /// <summary>Whether faults still come: one within <see cref="RunGap"/> of now.</summary>
    public bool IsCurrent(DateTime nowUtc) => nowUtc - LastAtUtc <= RunGap;
}
