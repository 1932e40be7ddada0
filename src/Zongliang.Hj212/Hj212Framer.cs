using System.Buffers;

namespace Zongliang.Hj212;

public enum FrameStatus : byte
{
    /// <summary>A whole frame with a correct length and CRC.</summary>
    Frame,
    /// <summary>Not enough bytes yet; call again with more.</summary>
    NeedMoreData,
    /// <summary>A frame that cannot be used; <see cref="FrameResult.Consumed"/> skips it (or its "##").</summary>
    Rejected,
}

public enum FrameError : byte
{
    None,
    /// <summary>The declared length is over the cap, or does not end at four hex digits and the terminator.</summary>
    Length,
    /// <summary>The CRC does not match the data segment.</summary>
    Crc,
    /// <summary>The length field is not four digits.</summary>
    Format,
}

/// <summary>Where a frame lies in the input, and how far the reader may advance. Offsets are into the input.</summary>
public readonly record struct FrameResult(
    FrameStatus Status, FrameError Error, int FrameStart, int DataStart, int DataLength, int Consumed, Hj212Warnings Warnings)
{
    public int FrameEnd => Consumed;
}

/// <summary>
/// Finds frames in a byte stream: "##" + 4-digit length + data segment + 4-hex CRC + "\r\n"
/// (HJ 212-2017 §6.3.1, table 2). A pure function: no state between calls, no I/O. It never buffers
/// more than one frame of the capped size beyond the "##", and skips garbage up to the next "##".
/// A frame with a bad CRC is skipped whole; a bad header or length skips one byte, so that the
/// search resumes at the very next "##" (which may overlap, as in "###0101…").
/// </summary>
public static class Hj212Framer
{
    /// <summary>HJ 212-2017 table 2: the data segment has 0 ≤ n ≤ 1024 characters.</summary>
    public const int StandardMaxDataLength = 1024;

    /// <summary>"##" + 4 digits + CRC (4) + "\r\n".</summary>
    public const int Overhead = 2 + 4 + 4 + 2;

    public static FrameResult Read(ReadOnlySpan<byte> input, int maxDataLength = StandardMaxDataLength)
    {
        // A frame usually starts right where the last one ended.
        var start = input.Length >= 2 && input[0] == (byte)'#' && input[1] == (byte)'#' ? 0 : input.IndexOf("##"u8);
        if (start < 0)
        {
            // Keep a trailing '#': it may be the first half of the next header.
            var keep = input.Length > 0 && input[^1] == (byte)'#' ? 1 : 0;
            var skipped = input.Length - keep;
            return new(FrameStatus.NeedMoreData, FrameError.None, -1, -1, 0, skipped, skipped > 0 ? Hj212Warnings.GarbageSkipped : 0);
        }
        var warnings = start > 0 ? Hj212Warnings.GarbageSkipped : Hj212Warnings.None;

        // Length field: four decimal digits (table 2).
        var length = 0;
        for (var i = 0; i < 4; i++)
        {
            var at = start + 2 + i;
            if (at >= input.Length) return NeedMore(start, warnings);
            var c = input[at];
            if (c is < (byte)'0' or > (byte)'9') return Reject(FrameError.Format, start, start + 1, warnings);
            length = length * 10 + (c - '0');
        }
        if (length > maxDataLength) return Reject(FrameError.Length, start, start + 1, warnings);

        var dataStart = start + 6;
        var crcStart = dataStart + length;
        var end = crcStart + 4;
        if (end >= input.Length) return NeedMore(start, warnings);
        // The terminator must follow the CRC: "\r\n" as the standard says, "\n" alone from some loggers.
        int frameEnd;
        if (input[end] == (byte)'\r')
        {
            if (end + 1 >= input.Length) return NeedMore(start, warnings);
            if (input[end + 1] != (byte)'\n') return Reject(FrameError.Length, start, start + 1, warnings);
            frameEnd = end + 2;
        }
        else if (input[end] == (byte)'\n')
        {
            warnings |= Hj212Warnings.BareLineFeed;
            frameEnd = end + 1;
        }
        else return Reject(FrameError.Length, start, start + 1, warnings);

        // Four hex digits must stand where the length says; anything else means the length is wrong.
        if (!TryParseHex(input.Slice(crcStart, 4), out var sent, out var lower))
            return Reject(FrameError.Length, start, start + 1, warnings);
        if (lower) warnings |= Hj212Warnings.LowercaseCrc;
        // HJ 212-2017 table 2: the CRC covers the data segment only.
        if (Hj212Crc.Compute(input.Slice(dataStart, length)) != sent)
            return Reject(FrameError.Crc, start, frameEnd, warnings);
        return new(FrameStatus.Frame, FrameError.None, start, dataStart, length, frameEnd, warnings);
    }

    /// <summary>
    /// The same over a pipe's buffer. A frame split across segments is read from a copy of at most
    /// one capped frame; <paramref name="data"/> is a slice of the input (no copy).
    /// </summary>
    public static FrameResult Read(in ReadOnlySequence<byte> input, int maxDataLength, out ReadOnlySequence<byte> data)
    {
        data = default;
        if (input.IsSingleSegment)
        {
            var r = Read(input.FirstSpan, maxDataLength);
            if (r.Status == FrameStatus.Frame) data = input.Slice(r.DataStart, r.DataLength);
            return r;
        }
        // Look at no more than garbage-to-"##" plus one capped frame.
        var window = (int)Math.Min(input.Length, 64 * 1024 + maxDataLength + Overhead);
        var rented = ArrayPool<byte>.Shared.Rent(window);
        try
        {
            input.Slice(0, window).CopyTo(rented);
            var r = Read(rented.AsSpan(0, window), maxDataLength);
            if (r.Status == FrameStatus.Frame) data = input.Slice(r.DataStart, r.DataLength);
            // Garbage beyond the window without "##": advance over what was looked at.
            if (r.Status == FrameStatus.NeedMoreData && r.FrameStart < 0 && window < input.Length)
                r = r with { Consumed = window - (rented[window - 1] == (byte)'#' ? 1 : 0) };
            return r;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static FrameResult NeedMore(int start, Hj212Warnings w) => new(FrameStatus.NeedMoreData, FrameError.None, start, -1, 0, start, w);

    private static FrameResult Reject(FrameError error, int start, int consumed, Hj212Warnings w) =>
        new(FrameStatus.Rejected, error, start, -1, 0, consumed, w);

    internal static bool TryParseHex(ReadOnlySpan<byte> hex, out ushort value, out bool lower)
    {
        value = 0;
        lower = false;
        foreach (var c in hex)
        {
            int v;
            if (c is >= (byte)'0' and <= (byte)'9') v = c - '0';
            else if (c is >= (byte)'A' and <= (byte)'F') v = c - 'A' + 10;
            else if (c is >= (byte)'a' and <= (byte)'f') { v = c - 'a' + 10; lower = true; }
            else return false;
            value = (ushort)(value << 4 | v);
        }
        return true;
    }
}
