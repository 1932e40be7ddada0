using System.Buffers;
using System.Text;
using Zongliang.Hj212;

namespace Zongliang.Hj212.Tests;

internal static class Frames
{
    /// <summary>HJ 212-2017 Appendix A's example, whose CRC is 1C80 (the prose beside it says 1C08, a typo).</summary>
    public const string AppendixASegment = "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&";
    public const string AppendixAFrame = "##0101" + AppendixASegment + "1C80\r\n";

    public static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    public static IEnumerable<(int Line, string Segment)> AppendixC() =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "AppendixC.txt"))
            .Where(l => !l.StartsWith('#') && l.Length > 0)
            .Select(l => l.Split('\t'))
            .Select(p => (int.Parse(p[0]), p[1]));

    /// <summary>A buffer in two segments split at <paramref name="at"/>, as a pipe hands over a frame cut by TCP.</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, int at)
    {
        var first = new Segment(bytes.AsMemory(0, at), 0);
        var second = first.Append(bytes.AsMemory(at));
        return new ReadOnlySequence<byte>(first, 0, second, second.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long index)
        {
            Memory = memory;
            RunningIndex = index;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
