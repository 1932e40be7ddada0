using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Zongliang.Hj212;

namespace Zongliang.Cli;

/// <summary>`zl hj212 parse` and `zl hj212 frame`: the protocol library on the command line.</summary>
public static class Hj212Commands
{
    public static Command Create()
    {
        var strict = new Option<bool>("--strict") { Description = "Refuse every deviation from HJ 212-2017 (default: lenient, like the listener)" };
        var parse = new Command("parse", "Read frames from standard input, one a line, and print one JSON object a frame") { strict };
        parse.SetAction(async (pr, ct) =>
        {
            var mode = pr.GetValue(strict) ? Hj212Mode.Strict : Hj212Mode.Lenient;
            await using var stdout = Console.OpenStandardOutput();
            using var stdin = new StreamReader(Console.OpenStandardInput(), Encoding.UTF8);
            while (await stdin.ReadLineAsync(ct) is { } line)
            {
                if (line.Length == 0) continue;
                var result = Hj212Parser.ParseFrame(Encoding.UTF8.GetBytes(line), mode);
                WriteJson(stdout, result);
                stdout.WriteByte((byte)'\n');
            }
            return 0;
        });

        var qn = new Option<string?>("--qn") { Description = "QN; default: now in Beijing time (none with --version 2005)" };
        var st = new Option<string>("--st") { Description = "System code (table 5), e.g. 32 water, 31 gas", DefaultValueFactory = _ => "32" };
        var cn = new Option<string>("--cn") { Description = "Command code (table 9), e.g. 2011, 2051, 2061, 2031", Required = true };
        var pw = new Option<string>("--pw") { Description = "Access password", Required = true };
        var mn = new Option<string>("--mn") { Description = "Device identifier", Required = true };
        var flag = new Option<int?>("--flag") { Description = "Flag; default 5 (2017, answer wanted)" };
        var version = new Option<string>("--version") { Description = "2017 (default) or 2005 (no QN, no Flag)", DefaultValueFactory = _ => "2017" };
        var cp = new Option<string>("--cp") { Description = "The CP data area without the &&, e.g. \"DataTime=20260301101000;w01018-Rtd=35.2,w01018-Flag=N\"", DefaultValueFactory = _ => "" };
        var frame = new Command("frame", "Build one frame (length and CRC computed) and print it") { qn, st, cn, pw, mn, flag, version, cp };
        frame.SetAction(pr =>
        {
            var v2005 = pr.GetValue(version) == "2005";
            if (!v2005 && pr.GetValue(version) != "2017")
            {
                Console.Error.WriteLine("zl: --version is 2017 or 2005");
                return 2;
            }
            var now = DateTime.UtcNow.AddHours(8);
            var segment = Hj212Writer.Segment(
                v2005 ? null : pr.GetValue(qn) ?? Hj212Number.FormatQn(now),
                pr.GetValue(st)!, pr.GetValue(cn)!, pr.GetValue(pw)!, pr.GetValue(mn)!,
                v2005 ? null : pr.GetValue(flag) ?? 5, pr.GetValue(cp)!);
            var bytes = Encoding.UTF8.GetBytes(segment);
            if (bytes.Length > 9999)
            {
                Console.Error.WriteLine("zl: the data segment is longer than 9999 bytes");
                return 2;
            }
            using var stdout = Console.OpenStandardOutput();
            stdout.Write(Hj212Writer.Frame(bytes));
            return 0;
        });

        return new Command("hj212", "HJ 212 protocol tools") { parse, frame };
    }

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// {"ok", "error", "warnings", "version", "qn", "st", "cn", "pw", "mn", "flag", "dataTime", "fields", "pollutants"};
    /// absent values are left out. dataTime is ISO 8601 in Beijing time (+08:00), as loggers send local time.
    /// </summary>
    internal static void WriteJson(Stream output, Hj212ParseResult r)
    {
        using var w = new Utf8JsonWriter(output, JsonOptions);
        w.WriteStartObject();
        w.WriteBoolean("ok", r.Ok);
        if (r.Error is null) w.WriteNull("error"); else w.WriteString("error", r.Error);
        w.WriteStartArray("warnings");
        foreach (var name in Hj212WarningText.Names(r.Warnings)) w.WriteStringValue(name);
        w.WriteEndArray();
        if (r.Packet is { } p)
        {
            w.WriteString("version", Hj212Codes.VersionText(p.Version));
            if (p.Qn is not null) w.WriteString("qn", p.Qn);
            w.WriteString("st", p.St);
            w.WriteString("cn", p.Cn);
            w.WriteString("pw", p.Pw);
            w.WriteString("mn", p.Mn);
            if (p.Flag is { } f) w.WriteNumber("flag", f);
            if (p.DataTime is { } t) w.WriteString("dataTime", Iso(t));
            w.WriteStartObject("fields");
            foreach (var (key, value) in p.Fields) w.WriteString(key, value);
            w.WriteEndObject();
            w.WriteStartObject("pollutants");
            foreach (var (code, values) in p.Factors)
            {
                w.WriteStartObject(code);
                foreach (var (suffix, number) in values.Numbers) w.WriteNumber(suffix, number);
                if (values.Flag is not null) w.WriteString("Flag", values.Flag);
                if (values.EFlag is not null) w.WriteString("EFlag", values.EFlag);
                if (values.SampleTime is { } st) w.WriteString("SampleTime", Iso(st));
                if (values.Info is not null) w.WriteString("Info", values.Info);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static string Iso(DateTime beijing) =>
        new DateTimeOffset(beijing, TimeSpan.FromHours(8)).ToString("yyyy-MM-ddTHH:mm:ss.FFFzzz", CultureInfo.InvariantCulture);
}
