namespace Zongliang.Hj212;

public enum Hj212Mode : byte
{
    /// <summary>Accepts the deviations real loggers make, and reports each as a warning (the listener's mode).</summary>
    Lenient,
    /// <summary>Refuses every deviation from HJ 212-2017.</summary>
    Strict,
}

/// <summary>What became of one frame: the packet, or the reason it was refused ("crc", "length", "format").</summary>
public sealed record Hj212ParseResult(bool Ok, string? Error, Hj212Warnings Warnings, Hj212Packet? Packet)
{
    public static Hj212ParseResult Failed(string error, Hj212Warnings warnings) => new(false, error, warnings, null);
}

/// <summary>Receives what <see cref="Hj212Parser.Visit"/> reads, as slices of the input (nothing is allocated).</summary>
public interface IHj212Visitor
{
    void OnHeader(in Hj212Segment segment);
    void OnNumber(ReadOnlySpan<byte> code, CpSuffix suffix, double value);
    void OnTime(ReadOnlySpan<byte> code, CpSuffix suffix, DateTime time);
    void OnText(ReadOnlySpan<byte> code, CpSuffix suffix, ReadOnlySpan<byte> value);
}

public static class Hj212Parser
{
    /// <summary>
    /// The allocation-free path: frames the input, checks length and CRC, reads the header, and reads
    /// every CP field as a number, a time or text. Returns the framing result; a frame whose segment
    /// cannot be read is reported as a rejected frame with <see cref="FrameError.Format"/>.
    /// </summary>
    public static FrameResult Visit<T>(ReadOnlySpan<byte> input, ref T visitor, int maxDataLength = Hj212Framer.StandardMaxDataLength)
        where T : IHj212Visitor, allows ref struct
    {
        var r = Hj212Framer.Read(input, maxDataLength);
        if (r.Status != FrameStatus.Frame) return r;
        if (!Hj212Segment.TryParse(input.Slice(r.DataStart, r.DataLength), out var segment))
            return r with { Status = FrameStatus.Rejected, Error = FrameError.Format };
        visitor.OnHeader(segment);
        var reader = new CpReader(segment.Cp);
        while (reader.MoveNext(out var f))
        {
            switch (f.Suffix)
            {
                case CpSuffix.Flag or CpSuffix.EFlag or CpSuffix.Info or CpSuffix.Other:
                    visitor.OnText(f.Code, f.Suffix, f.Value);
                    break;
                case CpSuffix.SampleTime:
                case CpSuffix.None when f.Key.EndsWith("Time"u8):
                    if (Hj212Number.TryParseTime(f.Value, out var t, out _)) visitor.OnTime(f.Code, f.Suffix, t);
                    else visitor.OnText(f.Code, f.Suffix, f.Value);
                    break;
                default:
                    if (f.TryGetNumber(out var v)) visitor.OnNumber(f.Code, f.Suffix, v);
                    else visitor.OnText(f.Code, f.Suffix, f.Value);
                    break;
            }
        }
        return r with { Warnings = r.Warnings | segment.Warnings | reader.Warnings };
    }

    /// <summary>Parses one whole frame, "##" to "\r\n" (a missing terminator is supplied, as for lines read from a file).</summary>
    public static Hj212ParseResult ParseFrame(ReadOnlySpan<byte> frame, Hj212Mode mode = Hj212Mode.Lenient, int maxDataLength = Hj212Framer.StandardMaxDataLength)
    {
        byte[]? withEnd = null;
        if (!frame.EndsWith("\n"u8))
        {
            withEnd = new byte[frame.Length + 2];
            frame.CopyTo(withEnd);
            "\r\n"u8.CopyTo(withEnd.AsSpan(frame.Length));
            frame = withEnd;
        }
        var r = Hj212Framer.Read(frame, maxDataLength);
        if (r.Status == FrameStatus.NeedMoreData)
            return Hj212ParseResult.Failed(r.FrameStart < 0 ? "format" : "length", r.Warnings);
        if (r.Status == FrameStatus.Rejected)
            return Hj212ParseResult.Failed(r.Error switch { FrameError.Crc => "crc", FrameError.Length => "length", _ => "format" }, r.Warnings);
        // Anything after the terminator is not part of this frame.
        if (r.Consumed != frame.Length) return Hj212ParseResult.Failed("length", r.Warnings);
        return ParseSegment(frame.Slice(r.DataStart, r.DataLength), mode, r.Warnings & ~Hj212Warnings.GarbageSkipped | (r.FrameStart > 0 ? Hj212Warnings.GarbageSkipped : 0));
    }

    /// <summary>Parses a data segment whose framing was already checked.</summary>
    public static Hj212ParseResult ParseSegment(ReadOnlySpan<byte> data, Hj212Mode mode = Hj212Mode.Lenient, Hj212Warnings framing = 0)
    {
        if (!Hj212Segment.TryParse(data, out var segment))
            return Hj212ParseResult.Failed("format", framing);
        var warnings = framing | segment.Warnings;
        var packet = Hj212Packet.From(segment, ref warnings);
        if (mode == Hj212Mode.Strict && (warnings & (Hj212WarningText.StrictErrors | Hj212Warnings.GarbageSkipped)) != 0)
            return Hj212ParseResult.Failed("format", warnings);
        return new Hj212ParseResult(true, null, warnings, packet);
    }
}
