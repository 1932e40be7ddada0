using System.Globalization;
using System.Text;
using CsCheck;
using Xunit;

namespace Zongliang.Hj212.Tests;

public class Hj212NumberTests
{
    [Fact]
    public void TheFastDecimalPathGivesExactlyWhatAFullParseGives()
    {
        var text = Gen.Select(Gen.Bool, Gen.Long[0, 999_999_999_999_999], Gen.Int[0, 15],
            (neg, m, d) => (neg ? "-" : "") + (d == 0 ? m.ToString(CultureInfo.InvariantCulture)
                : m.ToString(CultureInfo.InvariantCulture).PadLeft(d + 1, '0').Insert(m.ToString(CultureInfo.InvariantCulture).PadLeft(d + 1, '0').Length - d, ".")));
        text.Sample(s =>
        {
            Assert.True(Hj212Number.TryParseDouble(Encoding.ASCII.GetBytes(s), out var v), s);
            Assert.Equal(double.Parse(s, CultureInfo.InvariantCulture), v);
        });
    }

    [Fact]
    public void TheShortFormReadsAValueFromTheBytesThatEndItExactlyAsTheFullParse()
    {
        // Any text of up to 8 characters from the number alphabet, after any bytes: where the short
        // form accepts, the full parse accepts and gives the same double; where it does not, the
        // field falls back to the full parse.
        var alphabet = Gen.OneOfConst("0123456789.-+eE;=x".Select(c => (byte)c).ToArray());
        Gen.Select(Gen.Byte.Array[0, 12], alphabet.Array[1, 8]).Sample((prefix, value) =>
        {
            var bytes = prefix.Concat(value).ToArray();
            var full = Hj212Number.TryParseDouble(value, out var expected);
            if (bytes.Length >= 8 && Hj212Number.TryParseShort(bytes.AsSpan(bytes.Length - 8), value.Length, out var fast))
            {
                Assert.True(full, Encoding.ASCII.GetString(value));
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(fast));
            }
        });
        foreach (var text in new[] { "40.12", "-0.25", "1512", "0", "-0", "99999999", "9999999.", ".5", "-.5", "0.000001" })
        {
            var bytes = Encoding.ASCII.GetBytes("w01018-Rtd=" + text);
            Assert.True(Hj212Number.TryParseShort(bytes.AsSpan(bytes.Length - 8), text.Length, out var v), text);
            Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture), v);
        }
        foreach (var text in new[] { "1.2.3", "-", ".", "+5", "1e5", "12a" })
        {
            var bytes = Encoding.ASCII.GetBytes("w01018-Rtd=" + text);
            Assert.False(Hj212Number.TryParseShort(bytes.AsSpan(bytes.Length - 8), text.Length, out _), text);
        }
    }

    [Fact]
    public void DivisionWithoutTheDividerRoundsAsTheDivisionDoes()
    {
        // Every mantissa of up to seven digits with every scale a short value can have, then a sample
        // of eight-digit ones: bit for bit the double that m / 10^k gives.
        for (var k = 1; k <= 7; k++)
        {
            var p = Math.Pow(10, k);
            for (long m = 0; m < 10_000_000; m++)
                if (Hj212Number.Divide(m, k) != m / p) Assert.Fail($"{m} / 10^{k}");
        }
        Gen.Select(Gen.Long[0, 99_999_999], Gen.Int[1, 15]).Sample((m, k) => Hj212Number.Divide(m, k) == m / Math.Pow(10, k), iter: 1_000_000);
    }

    [Theory]
    [InlineData("1.5E3", 1500.0)]
    [InlineData("12345678901234567890", 12345678901234567890.0)]
    [InlineData("+7", 7.0)]
    public void OtherFormsGoThroughTheFullParser(string s, double expected)
    {
        Assert.True(Hj212Number.TryParseDouble(Encoding.ASCII.GetBytes(s), out var v));
        Assert.Equal(expected, v);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1.2.3")]
    [InlineData("12a")]
    [InlineData("NaN")]
    public void RefusesWhatIsNotANumber(string s) => Assert.False(Hj212Number.TryParseDouble(Encoding.ASCII.GetBytes(s), out _));

    [Fact]
    public void ReadsTimesWithAndWithoutMillisecondsAndRefusesImpossibleDates()
    {
        Assert.True(Hj212Number.TryParseTime("20160801085857"u8, out var t, out var ms));
        Assert.Equal((new DateTime(2016, 8, 1, 8, 58, 57), false), (t, ms));
        Assert.True(Hj212Number.TryParseTime("20160801085857223"u8, out t, out ms));
        Assert.Equal(223, t.Millisecond);
        Assert.True(ms);
        Assert.False(Hj212Number.TryParseTime("20160230085857"u8, out _, out _));
        Assert.False(Hj212Number.TryParseTime("2016080108585"u8, out _, out _));
    }

    private struct Counter : IHj212Visitor
    {
        public int Numbers, Texts, Times;
        public double Sum;
        public string Mn;
        public void OnHeader(in Hj212Segment segment) => Mn = Encoding.ASCII.GetString(segment.Mn);
        public void OnNumber(ReadOnlySpan<byte> code, CpSuffix suffix, double value) { Numbers++; Sum += value; }
        public void OnTime(ReadOnlySpan<byte> code, CpSuffix suffix, DateTime time) => Times++;
        public void OnText(ReadOnlySpan<byte> code, CpSuffix suffix, ReadOnlySpan<byte> value) => Texts++;
    }

    [Fact]
    public void TheVisitorSeesEveryFieldOfTheFrame()
    {
        var segment = Frames.AppendixC().First(e => e.Segment.Contains("CN=2061") && e.Segment.Contains("Flag=5;CP=&&DataTime")).Segment;
        var counter = new Counter();
        var r = Hj212Parser.Visit(Hj212Writer.Frame(segment), ref counter);
        Assert.Equal(FrameStatus.Frame, r.Status);
        Assert.Equal("010000A8900016F000169DC0", counter.Mn);
        Assert.Equal((11, 3, 1), (counter.Numbers, counter.Texts, counter.Times));
        Assert.Equal(63.0 + 16.4 + 17.5 + 20.1 + 7.1 + 7.5 + 7.8 + 63.0 + 40.1 * 3, counter.Sum, 9);
    }
}
