using BenchmarkDotNet.Attributes;
using Zongliang.Hj212;

namespace Zongliang.Benchmarks;

/// <summary>
/// Parse throughput on the mixed corpus, per frame (OperationsPerInvoke): framing, length, CRC, header
/// and every CP field to a number, time or text. "Visit" is the allocation-free path; "Packet" builds
/// the object model the listener stores; "Answer" builds the 9014 the listener sends for each of them.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class ParseBenchmarks
{
    private const int Frames = 4096;
    private byte[][] _frames = [];
    private byte[] _stream = [];
    private Hj212Packet[] _packets = [];

    [GlobalSetup]
    public void Setup()
    {
        _frames = Corpus.Build(Frames).ToArray();
        _stream = _frames.SelectMany(f => f).ToArray();
        _packets = [.. _frames.Select(f => Hj212Parser.ParseFrame(f).Packet!)];
    }

    private struct Sum : IHj212Visitor
    {
        public double Total;
        public int Fields;
        public void OnHeader(in Hj212Segment segment) => Fields += segment.Mn.Length;
        public void OnNumber(ReadOnlySpan<byte> code, CpSuffix suffix, double value) { Total += value; Fields++; }
        public void OnTime(ReadOnlySpan<byte> code, CpSuffix suffix, DateTime time) => Fields++;
        public void OnText(ReadOnlySpan<byte> code, CpSuffix suffix, ReadOnlySpan<byte> value) => Fields++;
    }

    /// <summary>One stream of frames back to back, as a socket delivers them.</summary>
    [Benchmark(OperationsPerInvoke = Frames)]
    public double Visit()
    {
        var sum = new Sum();
        var input = _stream.AsSpan();
        while (!input.IsEmpty)
        {
            var r = Hj212Parser.Visit(input, ref sum);
            if (r.Consumed == 0) break;
            input = input[r.Consumed..];
        }
        return sum.Total + sum.Fields;
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public int Packet()
    {
        var n = 0;
        foreach (var f in _frames) n += Hj212Parser.ParseFrame(f).Packet!.Factors.Count;
        return n;
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public int Answer()
    {
        var n = 0;
        foreach (var p in _packets) n += Hj212Writer.DataAnswer(p).Length;
        return n;
    }

    /// <summary>The CRC the platform uses: 64 bytes a step with GF2P8AFFINEQB where the processor has it.</summary>
    [Benchmark(OperationsPerInvoke = Frames)]
    public int Crc()
    {
        var n = 0;
        foreach (var f in _frames) n += Hj212Crc.Compute(f.AsSpan(6, f.Length - 12));
        return n;
    }

    /// <summary>The scalar form for other processors: eight bytes per dependent table lookup.</summary>
    [Benchmark(OperationsPerInvoke = Frames)]
    public int CrcFolded()
    {
        var n = 0;
        foreach (var f in _frames) n += Hj212Crc.ComputeFolded(f.AsSpan(6, f.Length - 12));
        return n;
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public int CrcBytewise()
    {
        var n = 0;
        foreach (var f in _frames) n += Hj212Crc.ComputeBitwise(f.AsSpan(6, f.Length - 12));
        return n;
    }
}
