using Xunit;

namespace Zongliang.Hj212.Tests;

public class Hj212StreamReaderTests
{
    /// <summary>A stream that hands out one byte per read, as a slow TCP connection might.</summary>
    private sealed class Trickle(byte[] data) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], ct);
    }

    [Fact]
    public async Task ReadsFramesCutIntoSingleBytesAndSkipsWhatIsNotAFrame()
    {
        var bad = Frames.Bytes(Frames.AppendixAFrame.Replace("1C80", "0000"));
        var stream = new Trickle([.. Frames.Bytes("junk"), .. Frames.Bytes(Frames.AppendixAFrame), .. bad, .. Frames.Bytes("#"), .. Frames.Bytes(Frames.AppendixAFrame)]);
        var reader = new Hj212StreamReader(stream);
        var first = await reader.ReadPacketAsync();
        var second = await reader.ReadPacketAsync();
        Assert.Equal(("1062", "1062"), (first!.Cn, second!.Cn));
        Assert.Null(await reader.ReadPacketAsync());
    }

    [Fact]
    public async Task ReadsAFrameOfTheLargestLengthTheHeaderCanDeclare()
    {
        const string cp = "DataTime=20260301101000;w01018-Avg=600;x=";
        var length = Hj212Writer.Segment("20260301101000123", "32", "2051", "123456", "AB12", 5, cp).Length;
        var segment = Hj212Writer.Segment("20260301101000123", "32", "2051", "123456", "AB12", 5, cp + new string('0', 9999 - length));
        var frame = Hj212Writer.Frame(segment);
        Assert.Equal(9999 + 12, frame.Length);
        var packet = await new Hj212StreamReader(new Trickle([.. frame, .. frame]), maxDataLength: 9999).ReadPacketAsync();
        Assert.NotNull(packet);
        Assert.Equal(600, packet.Factors["w01018"].Numbers["Avg"]);
    }
}
