using CsCheck;
using Xunit;

namespace Zongliang.Hj212.Tests;

public class Hj212CrcTests
{
    [Fact]
    public void TheAppendixAExampleHasCrc1C80()
    {
        Assert.Equal(0x1C80, Hj212Crc.Compute(Frames.Bytes(Frames.AppendixASegment)));
        Assert.Equal(0x1C80, Hj212Crc.ComputeBitwise(Frames.Bytes(Frames.AppendixASegment)));
    }

    [Fact]
    public void TheTableFormEqualsAppendixAStepByStep() =>
        Gen.Byte.Array[0, 1200].Sample(data => Hj212Crc.Compute(data) == Hj212Crc.ComputeBitwise(data));

    [Fact]
    public void TheScalarFoldedFormEqualsAppendixAStepByStep() =>
        Gen.Byte.Array[0, 1200].Sample(data => Hj212Crc.ComputeFolded(data) == Hj212Crc.ComputeBitwise(data));

    [Fact]
    public void EveryLengthAroundTheBlockSizeAgrees()
    {
        // The vector form pads the front to 64-byte blocks: every remainder and block count must agree.
        var rng = new Random(64);
        for (var length = 0; length <= 260; length++)
        {
            var data = new byte[length];
            rng.NextBytes(data);
            Assert.Equal(Hj212Crc.ComputeBitwise(data), Hj212Crc.Compute(data));
        }
    }

    [Fact]
    public void ItIsNotModbusCrc()
    {
        // CRC-16/MODBUS of "123456789" is 0x4B37; Appendix A's variant gives another value.
        Assert.NotEqual(0x4B37, Hj212Crc.Compute("123456789"u8));
    }
}
