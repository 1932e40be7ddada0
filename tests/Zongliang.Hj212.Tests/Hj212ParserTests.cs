using System.Text;
using CsCheck;
using Xunit;

namespace Zongliang.Hj212.Tests;

public class Hj212ParserTests
{
    public static TheoryData<int, string> AppendixCExamples()
    {
        var data = new TheoryData<int, string>();
        foreach (var (line, segment) in Frames.AppendixC()) data.Add(line, segment);
        return data;
    }

    [Theory]
    [MemberData(nameof(AppendixCExamples))]
    public void EveryAppendixCExampleParsesAndRoundTrips(int line, string segment)
    {
        var result = Hj212Parser.ParseFrame(Hj212Writer.Frame(segment));
        Assert.True(result.Ok, $"line {line}: {result.Error}");
        var p = result.Packet!;
        Assert.Equal("010000A8900016F000169DC0", p.Mn);
        Assert.Equal(Hj212Version.V2017, p.Version);
        // Formatting the parsed packet gives the example back, but for the separators the standard's own typos get wrong.
        var again = Hj212Writer.Segment(p.Qn, p.St, p.Cn, p.Pw, p.Mn, p.Flag, p.Cp, p.PNum, p.PNo);
        if ((result.Warnings & Hj212Warnings.WrongSeparator) == 0)
            Assert.Equal(segment, again);
        Assert.True(Hj212Parser.ParseFrame(Hj212Writer.Frame(again), Hj212Mode.Lenient).Ok);
    }

    [Fact]
    public void ReadsTheMinuteDataOfTableC16()
    {
        var segment = Frames.AppendixC().First(e => e.Segment.Contains("CN=2051") && e.Segment.Contains("QN=20160801085000001")).Segment;
        var r = Hj212Parser.ParseFrame(Hj212Writer.Frame(segment), Hj212Mode.Strict);
        Assert.True(r.Ok, r.Error);
        var p = r.Packet!;
        Assert.Equal(new DateTime(2016, 8, 1, 8, 40, 0), p.DataTime);
        Assert.Equal(10.5, p.Factors["w00000"].Numbers["Cou"]);
        Assert.Equal(7.5, p.Factors["w01001"].Numbers["Avg"]);
        Assert.Equal(40.1, p.Factors["w01018"].Numbers["Max"]);
        Assert.Equal("N", p.Factors["w01018"].Flag);
        Assert.True(p.WantsAnswer);
    }

    [Theory]
    [InlineData("Flag=5CP=&&")]
    [InlineData("534,ST=32")]
    public void StrictModeRefusesTheStandardsOwnTyposThatLenientModeAccepts(string quirk)
    {
        var segment = Frames.AppendixC().First(e => e.Segment.Contains(quirk)).Segment;
        var frame = Hj212Writer.Frame(segment);
        var lenient = Hj212Parser.ParseFrame(frame);
        Assert.True(lenient.Ok);
        Assert.Contains("wrong_separator", Hj212WarningText.Names(lenient.Warnings));
        var strict = Hj212Parser.ParseFrame(frame, Hj212Mode.Strict);
        Assert.Equal((false, "format"), (strict.Ok, strict.Error));
    }

    [Fact]
    public void ReadsThe2005FormWithoutQnOrFlagAndMapsTheOldCodes()
    {
        var r = Hj212Parser.ParseFrame(Hj212Writer.Frame("ST=32;CN=2051;PW=123456;MN=95012100000003;CP=&&DataTime=20260301101000;011-Avg=45.2,011-Flag=N;060-Avg=3.1,060-Flag=N;B01-Cou=12.5&&"));
        Assert.True(r.Ok, r.Error);
        var p = r.Packet!;
        Assert.Equal(Hj212Version.V2005, p.Version);
        Assert.Null(p.Qn);
        Assert.False(p.WantsAnswer);
        Assert.Equal(45.2, p.Factors["w01018"].Numbers["Avg"]);
        Assert.Equal(3.1, p.Factors["w21003"].Numbers["Avg"]);
        Assert.Equal(12.5, p.Factors["w00000"].Numbers["Cou"]);
        Assert.Contains("011-Avg", p.Fields.Select(f => f.Key));
        Assert.True(r.Warnings.HasFlag(Hj212Warnings.Code2005Mapped));
    }

    [Theory]
    [InlineData(5, Hj212Version.V2017)]
    [InlineData(1, Hj212Version.V2005)]
    [InlineData(9, Hj212Version.V2025)]
    public void TakesTheVersionFromTheFlagBits(int flag, Hj212Version version)
    {
        var r = Hj212Parser.ParseFrame(Hj212Writer.Frame($"QN=20260301101000123;ST=31;CN=2011;PW=123456;MN=AB12;Flag={flag};CP=&&DataTime=20260301101000;a21026-Rtd=35.5,a21026-Flag=N&&"));
        Assert.Equal(version, r.Packet!.Version);
        Assert.True(r.Packet.WantsAnswer);
    }

    [Fact]
    public void LenientModeAcceptsFieldLoggersHabitsAndNamesEachOne()
    {
        var r = Hj212Parser.ParseFrame(Hj212Writer.Frame("ST=99;QN=20260301101000;CN=2011;PW=123456;MN=AB12;Flag=5;CP=&&DataTime=20260301101000;w01018-Rtd=35.5;w99999-Rtd=1;w01018-Flag=Q;&&"));
        Assert.True(r.Ok, r.Error);
        var names = Hj212WarningText.Names(r.Warnings).ToList();
        Assert.Equal(["fields_out_of_order", "unknown_system_code", "trailing_separator", "time_precision", "unknown_factor_code", "unknown_data_flag"], names);
        Assert.Equal(1, r.Packet!.Factors["w99999"].Numbers["Rtd"]);
        Assert.False(Hj212Parser.ParseFrame(Hj212Writer.Frame("ST=99;QN=20260301101000;CN=2011;PW=123456;MN=AB12;Flag=5;CP=&&w01018-Rtd=35.5;&&"), Hj212Mode.Strict).Ok);
    }

    [Theory]
    [InlineData("QN=20260301101000123;CN=2011;PW=123456;MN=AB12;Flag=5;CP=&&&&")]
    [InlineData("QN=20260301101000123;ST=32;CN=2011;PW=123456;MN=AB12;Flag=5;w01018-Rtd=1")]
    [InlineData("QN=20260301101000123;ST=32;CN=2011;PW=123456;MN=AB12;Flag=x;CP=&&&&")]
    [InlineData("QN=2026030110;ST=32;CN=2011;PW=123456;MN=AB12;Flag=5;CP=&&&&")]
    [InlineData("QN=20260301101000123;ST=32;CN=2011;PW=123456;MN=AB12;Flag=7;PNUM=2;PNO=3;CP=&&&&")]
    public void RefusesSegmentsItCannotRead(string segment) =>
        Assert.Equal("format", Hj212Parser.ParseFrame(Hj212Writer.Frame(segment)).Error);

    [Fact]
    public void ReassemblesTheSplitPacketsOfTableC37()
    {
        var parts = Frames.AppendixC().Where(e => e.Segment.Contains("Flag=7;PNUM=2")).Select(e => Hj212Parser.ParseFrame(Hj212Writer.Frame(e.Segment)).Packet!).ToList();
        Assert.Equal(2, parts.Count);
        var joiner = new Hj212Reassembler();
        var now = DateTime.UtcNow;
        Assert.Null(joiner.Add(parts[1], now));
        var whole = joiner.Add(parts[0], now);
        Assert.NotNull(whole);
        Assert.Equal(["w00000", "w01001", "w01018"], whole.Factors.Keys.Order());
        Assert.Equal(63.0, whole.Factors["w01018"].Numbers["Cou"]);
        Assert.Equal(0, joiner.PendingCount);
    }

    [Fact]
    public void RepliesCarryTheRequestsQnAndVersionAsInAppendixC()
    {
        var request = Hj212Parser.ParseFrame(Hj212Writer.Frame(Frames.AppendixC().First(e => e.Segment.Contains("CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime")).Segment)).Packet!;
        var answer = Encoding.ASCII.GetString(Hj212Writer.DataAnswer(request));
        Assert.Equal(Encoding.ASCII.GetString(Hj212Writer.Frame($"QN={request.Qn};ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&")), answer);
        Assert.True(Hj212Parser.ParseFrame(Encoding.ASCII.GetBytes(answer), Hj212Mode.Strict).Ok);
    }

    [Fact]
    public void FormattedPacketsParseBackToTheSameValues()
    {
        var codes = Hj212Codes.All2017.Order().ToArray();
        var factor = Gen.Select(Gen.Int[0, codes.Length - 1], Gen.Int[-99999, 999999], Gen.Int[0, 3], Gen.Char["NFMSDCTB"],
            (c, v, d, f) => (Code: codes[c], Value: Math.Round(v / Math.Pow(10, d), d), Flag: f));
        factor.Array[1, 20].Sample(items =>
        {
            var distinct = items.DistinctBy(i => i.Code).ToArray();
            var cp = "DataTime=20260301101000;" + string.Join(";", distinct.Select(i => $"{i.Code}-Avg={i.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)},{i.Code}-Flag={i.Flag}"));
            var r = Hj212Parser.ParseFrame(Hj212Writer.Frame(Hj212Writer.Segment("20260301101000123", "32", "2051", "123456", "AB12", 5, cp)), Hj212Mode.Strict);
            Assert.True(r.Ok, r.Error);
            foreach (var i in distinct)
            {
                Assert.Equal(i.Value, r.Packet!.Factors[i.Code].Numbers["Avg"]);
                Assert.Equal(i.Flag.ToString(), r.Packet.Factors[i.Code].Flag);
            }
        });
    }

    [Fact]
    public void TheDataAreaWalkAgreesWithAPlainSplitAtEveryLengthAndPosition()
    {
        // Data areas of 0–300 bytes (the 64-byte window, its last-64 form and the byte-at-a-time form
        // for short areas), with items longer than the window, empty items and items without '='.
        var piece = Gen.OneOf(Gen.OneOfConst("w01018", "-Rtd", "-", "=", ";", ",", "12.5", "a", "=-3", "DataTime=20260301101000"),
            Gen.Const("x").Select(_ => new string('k', 70)));
        piece.Array[0, 40].Select(p => string.Concat(p)).Sample(text =>
        {
            var bytes = Encoding.ASCII.GetBytes(text);
            var expected = Split(text);
            var reader = new CpReader(bytes);
            var n = 0;
            while (reader.MoveNext(out var f))
            {
                var e = expected.Fields[n++];
                Assert.Equal(e.Key, Encoding.ASCII.GetString(f.Key));
                Assert.Equal(e.Value, Encoding.ASCII.GetString(f.Value));
                Assert.Equal(e.Code, Encoding.ASCII.GetString(f.Code));
                Assert.Equal(e.StartsItem, f.StartsItem);
            }
            Assert.Equal(expected.Fields.Count, n);
            Assert.Equal(expected.Warnings, reader.Warnings);
        });
    }

    /// <summary>The data area's grammar written the plain way, for comparison.</summary>
    private static (List<(string Key, string Value, string Code, bool StartsItem)> Fields, Hj212Warnings Warnings) Split(string cp)
    {
        var fields = new List<(string, string, string, bool)>();
        var warnings = Hj212Warnings.None;
        var startsItem = true;
        var at = 0;
        while (at < cp.Length)
        {
            var end = cp.IndexOfAny([';', ','], at);
            var item = end < 0 ? cp[at..] : cp[at..end];
            var thisStarts = startsItem;
            startsItem = end < 0 || cp[end] == ';';
            at = end < 0 ? cp.Length : end + 1;
            if (end >= 0 && at == cp.Length) warnings |= Hj212Warnings.TrailingSeparator;
            if (item.Length == 0) { warnings |= Hj212Warnings.TrailingSeparator; continue; }
            var eq = item.IndexOf('=');
            if (eq < 0) warnings |= Hj212Warnings.ItemWithoutValue;
            var key = eq < 0 ? item : item[..eq];
            var dash = key.LastIndexOf('-');
            fields.Add((key, eq < 0 ? "" : item[(eq + 1)..], dash < 0 ? key : key[..dash], thisStarts));
        }
        return (fields, warnings);
    }
}
