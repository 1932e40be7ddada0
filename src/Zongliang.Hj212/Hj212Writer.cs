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
        var sb = new StringBuilder(64 + cp.Length);
        if (qn is not null) sb.Append("QN=").Append(qn).Append(';');
        sb.Append("ST=").Append(st).Append(";CN=").Append(cn).Append(";PW=").Append(pw).Append(";MN=").Append(mn).Append(';');
        if (flag is not null) sb.Append("Flag=").Append(flag.Value).Append(';');
        if (pnum is not null) sb.Append("PNUM=").Append(pnum.Value).Append(';');
        if (pno is not null) sb.Append("PNO=").Append(pno.Value).Append(';');
        return sb.Append("CP=&&").Append(cp).Append("&&").ToString();
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

    private static byte[] Reply(Hj212Packet request, string cn, string cp) =>
        Frame(Segment(request.Qn, "91", cn, request.Pw, request.Mn, ReplyFlag(request), cp));

    private static void WriteDigits(int value, Span<byte> four)
    {
        for (var i = 3; i >= 0; i--)
        {
            four[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }
}
