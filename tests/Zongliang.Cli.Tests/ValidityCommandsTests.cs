using System.Globalization;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Zongliang.Cli.Tests;

/// <summary>`zl validity evaluate` run as a program: CSV in, one JSON line per factor-hour and factor-day out.</summary>
public sealed class ValidityCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("zl-validity-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly DateTimeOffset Eight = new(2026, 4, 1, 8, 0, 0, TimeSpan.FromHours(8));

    private static string Csv(IEnumerable<(int Minute, string Factor, string Value, string Flag)> rows, int interval = 1)
    {
        var text = new StringBuilder("timestamp,factor,value,flag\n");
        foreach (var (minute, factor, value, flag) in rows)
            text.Append(CultureInfo.InvariantCulture, $"{Eight.AddMinutes(minute * interval):yyyy-MM-dd'T'HH:mm:sszzz},{factor},{value},{flag}\n");
        return text.ToString();
    }

    private static List<JsonElement> Lines(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    [Fact]
    public async Task PrintsEachFactorHourThenEachFactorDay()
    {
        // 08:00–08:59 all valid; 09:00–09:59 only 40 valid (20 in calibration).
        var rows = Enumerable.Range(0, 120).Select(m => (m, "a21026", (50 + m % 3).ToString(CultureInfo.InvariantCulture), m >= 100 ? "C" : "N"));

        var (code, stdout, stderr) = await ZlProcess.RunAsync(_dir, Csv(rows), "validity", "evaluate", "--profile", "gas");

        Assert.True(code == 0, stderr);
        var lines = Lines(stdout);
        Assert.Equal(3, lines.Count);
        Assert.Equal(["factor", "hour", "mean", "validCount", "valid"], lines[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-04-01T08:00:00+08:00", lines[0].GetProperty("hour").GetString());
        Assert.Equal(60, lines[0].GetProperty("validCount").GetInt32());
        Assert.True(lines[0].GetProperty("valid").GetBoolean());
        Assert.Equal(51, lines[0].GetProperty("mean").GetDouble(), 1);
        Assert.Equal(40, lines[1].GetProperty("validCount").GetInt32());
        Assert.False(lines[1].GetProperty("valid").GetBoolean());
        Assert.Equal(["factor", "day", "mean", "validHours", "valid"], lines[2].EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-04-01", lines[2].GetProperty("day").GetString());
        Assert.Equal(1, lines[2].GetProperty("validHours").GetInt32());
        Assert.False(lines[2].GetProperty("valid").GetBoolean()); // one valid hour of a day
    }

    [Fact]
    public async Task WaterHoursAreWeightedByTheFlowInTheSameInput()
    {
        var rows = Enumerable.Range(0, 6).SelectMany(i => new[]
        {
            (i, "w00000", i < 3 ? "10" : "30", "N"),
            (i, "w01018", i < 3 ? "20" : "40", "N"),
        });

        var (code, stdout, stderr) = await ZlProcess.RunAsync(_dir, Csv(rows, interval: 10), "validity", "evaluate", "--profile", "water");

        Assert.True(code == 0, stderr);
        var cod = Lines(stdout).Single(l => l.GetProperty("factor").GetString() == "w01018" && l.TryGetProperty("hour", out _));
        Assert.Equal(35, cod.GetProperty("mean").GetDouble(), 6); // (20×10 + 40×30) / 40
        Assert.Equal(6, cod.GetProperty("validCount").GetInt32());
        Assert.True(cod.GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task RefusesBadLinesWithTheirNumbersAndPrintsNothing()
    {
        var csv = "timestamp,factor,value,flag\n2026-04-01T08:00:00,a21026,1,N\n2026-04-01T08:01:00+08:00,a21026,abc,N\n2026-04-01T08:02:00+08:00,a21026,1\n";

        var (code, stdout, stderr) = await ZlProcess.RunAsync(_dir, csv, "validity", "evaluate", "--profile", "gas");

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("第 2 行", stderr);
        Assert.Contains("第 3 行", stderr);
        Assert.Contains("第 4 行", stderr);
    }

    [Fact]
    public async Task AnEditedRulesFolderChangesTheVerdict()
    {
        var rules = Directory.CreateDirectory(Path.Combine(_dir, "rules")).FullName;
        var gas = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "rules", "validity-gas.json"))
            .Replace("\"hourMinValidRatio\": { \"value\": 0.75", "\"hourMinValidRatio\": { \"value\": 0.5");
        File.WriteAllText(Path.Combine(rules, "validity-gas.json"), gas);
        var rows = Enumerable.Range(0, 60).Select(m => (m, "a21026", (50 + m % 3).ToString(CultureInfo.InvariantCulture), m < 30 ? "N" : "D"));

        var shipped = Lines((await ZlProcess.RunAsync(_dir, Csv(rows), "validity", "evaluate", "--profile", "gas")).Out)[0];
        var edited = Lines((await ZlProcess.RunAsync(_dir, Csv(rows), "validity", "evaluate", "--profile", "gas", "--rules", rules)).Out)[0];

        Assert.False(shipped.GetProperty("valid").GetBoolean());
        Assert.True(edited.GetProperty("valid").GetBoolean());
        Assert.Equal(2, (await ZlProcess.RunAsync(_dir, "", "validity", "evaluate", "--profile", "oil")).Code);
    }
}

/// <summary>`zl validity recompute` on a demo database: the stored aggregates follow the rules in force.</summary>
public sealed class ValidityRecomputeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("zl-recompute-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private long Count(string sql)
    {
        using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_dir, "data", "zongliang.db")};Pooling=false");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }

    [Fact]
    public async Task RecomputingWithAnEditedRuleChangesTheStoredVerdicts()
    {
        Assert.Equal(0, (await ZlProcess.RunAsync(_dir, "", "db", "migrate")).Code);
        Assert.Equal(0, (await ZlProcess.RunAsync(_dir, "", "db", "seed-demo")).Code);
        var from = DateTime.UtcNow.AddHours(8).AddDays(-4).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var shipped = await ZlProcess.RunAsync(_dir, "", "validity", "recompute", "--from", from);
        Assert.True(shipped.Code == 0, shipped.Err);
        Assert.Contains("recomputed", shipped.Out);
        var validBefore = Count("SELECT COUNT(*) FROM HourAggregates WHERE Status = 1");
        Assert.True(validBefore > 0);
        Assert.True(Count("SELECT COUNT(*) FROM HourAggregates WHERE Status = 0 AND ValidCount >= 3") > 0, "hours with half their points valid are invalid under the shipped 75 %");

        var rules = Directory.CreateDirectory(Path.Combine(_dir, "rules")).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "rules")))
            File.Copy(file, Path.Combine(rules, Path.GetFileName(file)));
        var water = Path.Combine(rules, "validity-water.json");
        File.WriteAllText(water, File.ReadAllText(water).Replace("\"hourMinValidRatio\": { \"value\": 0.75", "\"hourMinValidRatio\": { \"value\": 0.5"));
        var gas = Path.Combine(rules, "validity-gas.json");
        File.WriteAllText(gas, File.ReadAllText(gas).Replace("\"hourMinValidRatio\": { \"value\": 0.75", "\"hourMinValidRatio\": { \"value\": 0.5"));

        var edited = await ZlProcess.RunAsync(_dir, "", "validity", "recompute", "--from", from, "--rules", rules);
        Assert.True(edited.Code == 0, edited.Err);
        Assert.True(Count("SELECT COUNT(*) FROM HourAggregates WHERE Status = 1") > validBefore);
        Assert.Equal(2, (await ZlProcess.RunAsync(_dir, "", "validity", "recompute", "--from", "yesterday")).Code);
    }
}
