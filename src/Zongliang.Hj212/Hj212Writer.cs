using System.Text;

namespace Zongliang.Hj212;

/// <summary>Builds frames and the platform's replies (HJ 212-2017 §6.3, tables 6, 7 and 9; Appendix C).</summary>
public static class Hj212Writer
{
    /// <summary>"##" + 4-digit length + data + 4-hex CRC (upper case) + "\r\n".</summary>
    public static byte[] Frame(ReadOnlySpan<byte> data)
    {
        if (data.Length > 9999) throw new ArgumentException("a data segment has at most 9999 bytes", nameof(data));
        var frame = new byte[data.Length + Hj212Framer.Overhead];
        WriteFrame(data, frame);
        return frame;
    }

    public static byte[] Frame(string data) => Frame(Encoding.UTF8.GetBytes(data));

    /// <summary>Writes a frame into <paramref name="destination"/> (at least data + 12 bytes); returns its length.</summary>
    public static int WriteFrame(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        "##"u8.CopyTo(destination);
        WriteDigits(data.Length, destination.Slice(2, 4));
        data.CopyTo(destination[6..]);
        var crc = Hj212Crc.Compute(data);
        const string hex = "0123456789ABCDEF";
        var at = 6 + data.Length;
        for (var i = 0; i < 4; i++) destination[at + i] = (byte)hex[(crc >> (12 - 4 * i)) & 0xF];
        destination[at + 4] = (byte)'\r';
        destination[at + 5] = (byte)'\n';
        return at + 6;
    }

    /// <summary>A data segment from its fields, in the order of table 3. Null fields are left out (HJ/T 212-2005 form).</summary>
    public static string Segment(string? qn, string st, string cn, string pw, string mn, int? flag, string cp, int? pnum = null, int? pno = null)
    {
        // Room for every string at its longest in UTF-8, the names, and three numbers.
        var room = 96 + Encoding.UTF8.GetMaxByteCount((qn?.Length ?? 0) + st.Length + cn.Length + pw.Length + mn.Length + cp.Length);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(room);
        try
        {
            if (!TryWriteSegment(buffer, qn, st, cn, pw, mn, flag, cp, pnum, pno, out var length)) throw new InvalidOperationException("segment longer than its room");
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes a data segment (as <see cref="Segment"/>) in UTF-8; false if it does not fit.</summary>
    private static bool TryWriteSegment(Span<byte> d, string? qn, string st, string cn, string pw, string mn, int? flag, string cp, int? pnum, int? pno, out int n)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        n = 0;
        int w;
        if (qn is not null)
        {
            if (!System.Text.Unicode.Utf8.TryWrite(d[n..], c, $"QN={qn};", out w)) return false;
            n += w;
        }
        if (!System.Text.Unicode.Utf8.TryWrite(d[n..], c, $"ST={st};CN={cn};PW={pw};MN={mn};", out w)) return false;
        n += w;
        if (flag is not null)
        {
            if (!System.Text.Unicode.Utf8.TryWrite(d[n..], c, $"Flag={flag.Value};", out w)) return false;
            n += w;
        }
        if (pnum is not null)
        {
            if (!System.Text.Unicode.Utf8.TryWrite(d[n..], c, $"PNUM={pnum.Value};", out w)) return false;
            n += w;
        }
        if (pno is not null)
        {
            if (!System.Text.Unicode.Utf8.TryWrite(d[n..], c, $"PNO={pno.Value};", out w)) return false;
            n += w;
        }
        if (!System.Text.Unicode.Utf8.TryWrite(d[n..], c, $"CP=&&{cp}&&", out w)) return false;
        n += w;
        return true;
    }

    /// <summary>The Flag of a reply: the request's version bits, no answer wanted, not split (e.g. Flag=4 in Appendix C).</summary>
    public static int? ReplyFlag(Hj212Packet request) => request.Flag is null ? null : (int)request.Version << 2;

    /// <summary>9014 data answer (数据应答), sent for an upload whose Flag asks for an answer.</summary>
    public static byte[] DataAnswer(Hj212Packet request) => Reply(request, "9014", "");

    /// <summary>9011 request answer (请求应答) with QnRtn of table 7: 1 ready, 2 refused, 3 PW wrong, 4 MN wrong …</summary>
    public static byte[] RequestAnswer(Hj212Packet request, int qnRtn) => Reply(request, "9011", "QnRtn=" + qnRtn);

    /// <summary>9012 execution result (执行结果) with ExeRtn of table 6: 1 success, 2 failed …, 100 no data.</summary>
    public static byte[] ExecutionResult(Hj212Packet request, int exeRtn) => Reply(request, "9012", "ExeRtn=" + exeRtn);

    /// <summary>9013 notice answer (通知应答), e.g. to a 1013 time calibration request.</summary>
    public static byte[] NoticeAnswer(Hj212Packet request) => Reply(request, "9013", "");

    /// <summary>1012 set the site's time (设置现场机时间) to <paramref name="beijingNow"/>, answering a 1013.</summary>
    public static byte[] SetTime(Hj212Packet request, DateTime beijingNow, string? polId = null)
    {
        var cp = (polId is null ? "" : "PolId=" + polId + ";") + "SystemTime=" + Hj212Number.FormatTime(beijingNow);
        // A request of ours: it asks for an answer (A bit), in the logger's version.
        var flag = request.Flag is null ? (int?)null : ((int)request.Version << 2) | 1;
        var qn = request.Qn is null ? null : Hj212Number.FormatQn(beijingNow);
        return Frame(Segment(qn, request.St, "1012", request.Pw, request.Mn, flag, cp));
    }

    // Written straight into the frame, without strings in between: the listener sends one per frame it stores.
    private static byte[] Reply(Hj212Packet request, string cn, string cp)
    {
        Span<byte> segment = stackalloc byte[512];
        if (!TryWriteSegment(segment, request.Qn, "91", cn, request.Pw, request.Mn, ReplyFlag(request), cp, null, null, out var length))
            return Frame(Segment(request.Qn, "91", cn, request.Pw, request.Mn, ReplyFlag(request), cp));
        var frame = new byte[length + Hj212Framer.Overhead];
        WriteFrame(segment[..length], frame);
        return frame;
    }

    private static void WriteDigits(int value, Span<byte> four)
    {
        for (var i = 3; i >= 0; i--)
        {
            four[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }
}
