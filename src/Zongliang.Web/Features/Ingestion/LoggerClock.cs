using System.Text;
using Zongliang.Domain.Common;
using Zongliang.Hj212;

namespace Zongliang.Web.Features.Ingestion;

/// <summary>
/// A data logger's clock as it reports it in a 1011 upload (上传现场机时间): SystemTime, in Beijing time.
/// The listener sets a clock that is off by more than <see cref="Hj212Options.ClockTolerance"/>; the
/// device page shows the last report from the archive.
/// </summary>
public static class LoggerClock
{
    /// <summary>How far the logger's clock was ahead of the platform's (negative: behind) when the upload came; null when SystemTime cannot be read.</summary>
    public static TimeSpan? Offset(Hj212Packet? upload, DateTime receivedUtc)
    {
        var systemTime = upload?.Field("SystemTime");
        if (systemTime is null || !Hj212Number.TryParseTime(Encoding.ASCII.GetBytes(systemTime), out var loggerTime, out _)) return null;
        return loggerTime - BeijingTime.FromUtc(receivedUtc);
    }

    /// <summary>Whether a clock that far off is set by the listener (1012): beyond the tolerance either way.</summary>
    public static bool IsSetAt(TimeSpan offset, TimeSpan tolerance) => offset.Duration() > tolerance;

    /// <summary>The offset of a 1011 frame as archived (whole frame), or null.</summary>
    public static TimeSpan? Offset(byte[] frame, DateTime receivedUtc) => Offset(Hj212Parser.ParseFrame(frame).Packet, receivedUtc);

    /// <summary>An offset in words for the device page: "比平台快 10 分 5 秒", "比平台慢 3 秒", "与平台一致".</summary>
    public static string Describe(TimeSpan offset)
    {
        var size = offset.Duration();
        var seconds = (long)Math.Round(size.TotalSeconds);
        if (seconds == 0) return "与平台一致";
        var words = seconds switch
        {
            < 60 => $"{seconds} 秒",
            < 3600 => $"{seconds / 60} 分 {seconds % 60} 秒",
            < 86400 => $"{seconds / 3600} 小时 {seconds % 3600 / 60} 分",
            _ => $"{seconds / 86400} 天 {seconds % 86400 / 3600} 小时",
        };
        return (offset > TimeSpan.Zero ? "比平台快 " : "比平台慢 ") + words;
    }
}
