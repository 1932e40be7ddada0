using CsCheck;
using Xunit;

namespace Zongliang.Hj212.Tests;

/// <summary>
/// Bounded fuzzing: random bytes and mutations of real frames through the framer and the parser.
/// Nothing may throw or loop; every call must make progress or ask for more. ZL_FUZZ_SECONDS sets
/// the time (default 10 s, so the suite stays short; CI runs longer).
/// </summary>
public class Hj212FuzzTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("ZL_FUZZ_SECONDS"), out var s) ? s : 10);

    private static readonly byte[][] Seeds = Frames.AppendixC().Select(e => Hj212Writer.Frame(e.Segment)).ToArray();

    private static void Drain(byte[] input)
    {
        var offset = 0;
        var steps = 0;
        while (offset < input.Length)
        {
            var r = Hj212Framer.Read(input.AsSpan(offset), 1024);
            if (r.Status == FrameStatus.Frame)
                Hj212Parser.ParseSegment(input.AsSpan(offset + r.DataStart, r.DataLength));
            if (r.Consumed == 0) break; // needs more data: the stream ends here
            Assert.InRange(r.Consumed, 1, input.Length - offset);
            offset += r.Consumed;
            Assert.True(++steps <= input.Length, "no progress");
        }
        Hj212Parser.ParseFrame(input);
        Hj212Parser.ParseSegment(input);
    }

    [Fact]
    public void MutatedFramesNeverCrashOrHang()
    {
        var mutated = Gen.Select(Gen.Int[0, Seeds.Length - 1], Gen.Int[0, 1200], Gen.Byte, Gen.Int[0, 3], (i, at, b, op) =>
        {
            var frame = Seeds[i].ToList();
            var pos = Math.Min(at, frame.Count - 1);
            switch (op)
            {
                case 0: frame[pos] = b; break;
                case 1: frame.Insert(pos, b); break;
                case 2: frame.RemoveAt(pos); break;
                default: frame.AddRange(Seeds[(i + 1) % Seeds.Length]); frame.InsertRange(pos, "##"u8.ToArray()); break;
            }
            return frame.ToArray();
        });
        mutated.Sample(Drain, time: (int)(Budget.TotalSeconds / 2));
    }

    [Fact]
    public void RandomBytesNeverCrashOrHang() =>
        Gen.OneOf(Gen.Byte.Array[0, 3000], Gen.Char["#0123456789;=,&CPQNSTMWa-.\r\n"].Array[0, 1500].Select(cs => cs.Select(c => (byte)c).ToArray()))
            .Sample(Drain, time: (int)(Budget.TotalSeconds / 2));
}
