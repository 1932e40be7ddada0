using System.Text;
using Xunit;

namespace Zongliang.Hj212.Tests;

public class Hj212FramerTests
{
    private static readonly byte[] Good = Frames.Bytes(Frames.AppendixAFrame);

    [Fact]
    public void ReadsTheAppendixAFrame()
    {
        var r = Hj212Framer.Read(Good);
        Assert.Equal(FrameStatus.Frame, r.Status);
        Assert.Equal(101, r.DataLength);
        Assert.Equal(Good.Length, r.Consumed);
        Assert.Equal(Frames.AppendixASegment, Encoding.ASCII.GetString(Good, r.DataStart, r.DataLength));
        Assert.Equal(Hj212Warnings.None, r.Warnings);
    }

    [Fact]
    public void EveryPrefixAsksForMoreAndConsumesNothingOfTheFrame()
    {
        for (var n = 0; n < Good.Length; n++)
        {
            var r = Hj212Framer.Read(Good.AsSpan(0, n));
            Assert.True(FrameStatus.NeedMoreData == r.Status, $"prefix {n}: {r.Status}");
            Assert.Equal(0, r.Consumed);
        }
    }

    [Fact]
    public void EverySplitAcrossTwoSegmentsGivesTheSameFrame()
    {
        for (var at = 1; at < Good.Length; at++)
        {
            var r = Hj212Framer.Read(Frames.Split(Good, at), Hj212Framer.StandardMaxDataLength, out var data);
            Assert.Equal(FrameStatus.Frame, r.Status);
            Assert.Equal(Frames.AppendixASegment, Encoding.ASCII.GetString(data));
        }
    }

    [Fact]
    public void ReadsSeveralFramesFromOneBufferAndSkipsGarbageBetween()
    {
        // "\0\0#" then "##…": the stray '#' makes "###", and the real header starts one byte later.
        var stream = Frames.Bytes("noise" + Frames.AppendixAFrame + "\0\0#" + Frames.AppendixAFrame);
        var frames = 0;
        var offset = 0;
        while (offset < stream.Length)
        {
            var r = Hj212Framer.Read(stream.AsSpan(offset));
            Assert.NotEqual(FrameStatus.NeedMoreData, r.Status);
            if (r.Status == FrameStatus.Frame)
            {
                frames++;
                Assert.Equal(Frames.AppendixASegment, Encoding.ASCII.GetString(stream, offset + r.DataStart, r.DataLength));
            }
            offset += r.Consumed;
        }
        Assert.Equal(2, frames);
    }

    [Fact]
    public void RejectsAFrameWhoseCrcDoesNotMatchAndGoesOnAfterIt()
    {
        var bad = Frames.AppendixAFrame.Replace("1C80", "1C08");
        var stream = Frames.Bytes(bad + Frames.AppendixAFrame);
        var r = Hj212Framer.Read(stream);
        Assert.Equal((FrameStatus.Rejected, FrameError.Crc), (r.Status, r.Error));
        Assert.Equal(bad.Length, r.Consumed);
        Assert.Equal(FrameStatus.Frame, Hj212Framer.Read(stream.AsSpan(r.Consumed)).Status);
    }

    [Theory]
    [InlineData("##9999")]
    [InlineData("##1025")]
    public void RejectsADeclaredLengthOverTheCapAtOnceAndResyncs(string header)
    {
        var stream = Frames.Bytes(header + "QN=1" + Frames.AppendixAFrame);
        var r = Hj212Framer.Read(stream);
        Assert.Equal((FrameStatus.Rejected, FrameError.Length), (r.Status, r.Error));
        Assert.Equal(1, r.Consumed);
        var next = Hj212Framer.Read(stream.AsSpan(r.Consumed));
        Assert.Equal(FrameStatus.Frame, next.Status);
    }

    [Theory]
    [InlineData("0100")]
    [InlineData("0102")]
    [InlineData("0050")]
    public void RejectsALengthThatDoesNotEndAtTheCrcAndTerminator(string length)
    {
        var wrong = "##" + length + Frames.AppendixAFrame[6..];
        var stream = Frames.Bytes(wrong + Frames.AppendixAFrame);
        var r = Hj212Framer.Read(stream);
        Assert.Equal((FrameStatus.Rejected, FrameError.Length), (r.Status, r.Error));
        // It resyncs on the next "##", which is the good frame.
        var offset = r.Consumed;
        while (true)
        {
            var n = Hj212Framer.Read(stream.AsSpan(offset));
            if (n.Status == FrameStatus.Frame) break;
            Assert.NotEqual(FrameStatus.NeedMoreData, n.Status);
            offset += n.Consumed;
        }
    }

    [Fact]
    public void RejectsALengthFieldThatIsNotDigits()
    {
        var r = Hj212Framer.Read(Frames.Bytes("##01A1" + Frames.AppendixAFrame[6..]));
        Assert.Equal((FrameStatus.Rejected, FrameError.Format), (r.Status, r.Error));
    }

    [Fact]
    public void AcceptsABareLineFeedAndALowerCaseCrcWithWarnings()
    {
        var r = Hj212Framer.Read(Frames.Bytes(Frames.AppendixAFrame.Replace("1C80\r\n", "1c80\n")));
        Assert.Equal(FrameStatus.Frame, r.Status);
        Assert.Equal(Hj212Warnings.BareLineFeed | Hj212Warnings.LowercaseCrc, r.Warnings);
    }

    [Fact]
    public void GarbageWithoutAHeaderIsConsumedButATrailingHashIsKept()
    {
        var r = Hj212Framer.Read("garbage#"u8);
        Assert.Equal(FrameStatus.NeedMoreData, r.Status);
        Assert.Equal(7, r.Consumed);
    }

    [Fact]
    public void WritesWhatItReads() =>
        Assert.Equal(Frames.AppendixAFrame, Encoding.ASCII.GetString(Hj212Writer.Frame(Frames.AppendixASegment)));
}
