using System.Globalization;
using Zongliang.Hj212;

namespace Zongliang.Benchmarks;

/// <summary>
/// A deterministic mixed corpus of frames as a city's loggers send them: real-time (2011), minute
/// (2051), hourly (2061) and daily (2031) data of water and gas outlets, in the 2017 form and (one in
/// eight) the 2005 form.
/// </summary>
public static class Corpus
{
    private static readonly string[] Water = ["w00000", "w01001", "w01018", "w21003", "w21011", "w21001"];
    private static readonly string[] Gas = ["a00000", "a19001", "a01012", "a01013", "a01014", "a21026", "a21002", "a34013"];

    public static List<byte[]> Build(int count, int seed = 212)
    {
        var rng = new Random(seed);
        var frames = new List<byte[]>(count);
        var t = new DateTime(2026, 3, 1, 0, 0, 0);
        for (var i = 0; i < count; i++)
        {
            var water = rng.Next(2) == 0;
            var codes = water ? Water : Gas;
            var cn = (i % 10) switch { < 5 => "2011", < 8 => "2051", 8 => "2061", _ => "2031" };
            var old = i % 8 == 3;
            var parts = new List<string> { "DataTime=" + t.AddMinutes(i).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) };
            foreach (var code in codes)
            {
                var c = old && Hj212Codes.Code2005Of(code) is { Length: > 0 } c05 ? c05 : code;
                double V() => Math.Round(rng.NextDouble() * 120, 2);
                parts.Add(cn == "2011"
                    ? $"{c}-Rtd={V().ToString(CultureInfo.InvariantCulture)},{c}-Flag=N"
                    : $"{c}-Cou={V().ToString(CultureInfo.InvariantCulture)},{c}-Min={V().ToString(CultureInfo.InvariantCulture)},{c}-Avg={V().ToString(CultureInfo.InvariantCulture)},{c}-Max={V().ToString(CultureInfo.InvariantCulture)},{c}-Flag=N");
            }
            var cp = string.Join(";", parts);
            var mn = old ? $"9501{i % 10000:D10}" : $"0100950121{i:X14}";
            var segment = old
                ? Hj212Writer.Segment(null, water ? "32" : "31", cn, "123456", mn, null, cp)
                : Hj212Writer.Segment(t.AddMinutes(i).ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture), water ? "32" : "31", cn, "123456", mn, 5, cp);
            frames.Add(Hj212Writer.Frame(segment));
        }
        return frames;
    }
}
