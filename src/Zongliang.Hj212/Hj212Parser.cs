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

public static class Hj212Parser
{
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
