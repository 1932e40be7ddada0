using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Zongliang.Domain.Monitoring.Validity;
using Zongliang.Domain.Common;

namespace Zongliang.Cli;

/// <summary>`zl validity evaluate`: how the platform's validity rules judge a piece of data, on the command line.</summary>
public static class ValidityCommands
{
    public static Command Create()
    {
        var profile = new Option<string>("--profile") { Description = "Rule profile: gas or water (rules/validity-NAME.json)", Required = true };
        var rules = new Option<string?>("--rules") { Description = "Folder of the rule files; default: the rules shipped beside zl" };
        var evaluate = new Command("evaluate",
            "Read minute readings of one outlet as CSV on stdin (timestamp,factor,value,flag; ISO 8601 timestamps with offset) " +
            "and print one JSON line per factor-hour, then one per factor-day (Beijing days; hours outside the input count as missing)")
        {
            profile, rules,
        };
        evaluate.SetAction(async (pr, ct) =>
        {
            ValidityProfile p;
            try
            {
                p = ValidityProfile.Load(pr.GetValue(profile)!, pr.GetValue(rules));
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException)
            {
                await Console.Error.WriteLineAsync($"zl: {e.Message}");
                return 2;
            }
            using var stdin = new StreamReader(Console.OpenStandardInput(), Encoding.UTF8);
            var (series, errors) = await ReadCsvAsync(stdin, ct);
            if (errors.Count > 0)
            {
                foreach (var e in errors.Take(20))
                    await Console.Error.WriteLineAsync($"zl: {e}");
                if (errors.Count > 20)
                    await Console.Error.WriteLineAsync($"zl: …另有 {errors.Count - 20} 处错误");
                return 2;
            }
            await using var stdout = Console.OpenStandardOutput();
            Write(stdout, p, series);
            return 0;
        });
        var from = new Option<string>("--from") { Description = "First Beijing day to recompute, yyyy-MM-dd", Required = true };
        var outlet = new Option<int?>("--outlet") { Description = "One outlet's id; default: every outlet with minute data" };
        var recompute = new Command("recompute",
            "Recompute the stored hour and day aggregates from a day on, with the rules in force (after editing a rule file, or to check the stored values)")
        {
            from, outlet, rules,
        };
        recompute.SetAction(async (pr, ct) =>
        {
            if (!DateOnly.TryParseExact(pr.GetValue(from), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                await Console.Error.WriteLineAsync("zl: --from is a date, yyyy-MM-dd");
                return 2;
            }
            await using var services = CliHost.Build();
            Data.Monitoring.ValidityRules validityRules;
            try
            {
                validityRules = new Data.Monitoring.ValidityRules(pr.GetValue(rules));
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                await Console.Error.WriteLineAsync($"zl: {e.Message}");
                return 2;
            }
            var store = new Data.Monitoring.AggregateStore(services.GetRequiredService<Microsoft.Extensions.DependencyInjection.IServiceScopeFactory>(), validityRules, TimeProvider.System);
            List<int> outlets;
            await using (var scope = services.SystemScope("zl validity recompute"))
            {
                var db = scope.ServiceProvider.GetRequiredService<Data.ZongliangDbContext>();
                var minute = Domain.Monitoring.ReadingKind.Minute;
                outlets = pr.GetValue(outlet) is { } one
                    ? [one]
                    : await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.Readings.Where(r => r.Kind == minute).Select(r => r.OutletId).Distinct().OrderBy(id => id), ct);
            }
            // Through the recompute queue, like the platform: a running platform never recomputes the same outlet at the same time.
            var queue = new Data.Monitoring.RecomputeQueue(services.GetRequiredService<Microsoft.Extensions.DependencyInjection.IServiceScopeFactory>(), store,
                TimeProvider.System, services.GetRequiredService<Data.InstanceName>());
            var hours = 0;
            foreach (var id in outlets)
                hours += await queue.RecomputeNowAsync(id, day == DateOnly.MaxValue ? day : day.AddDays(1), ct);
            Console.WriteLine($"recomputed {outlets.Count} outlets, {hours} factor-hours from {day:yyyy-MM-dd}");
            return 0;
        });
        return new Command("validity", "Data validity rules (数据有效性)") { evaluate, recompute };
    }

    /// <summary>Parses timestamp,factor,value,flag lines; a header line and blank lines are skipped. Every bad line is reported with its number.</summary>
    internal static async Task<(List<FactorSeries> Series, List<string> Errors)> ReadCsvAsync(TextReader input, CancellationToken ct)
    {
        var byFactor = new Dictionary<string, List<MinuteValue>>(StringComparer.Ordinal);
        var errors = new List<string>();
        var number = 0;
        while (await input.ReadLineAsync(ct) is { } line)
        {
            number++;
            if (line.Trim().Length == 0 || (number == 1 && line.StartsWith("timestamp", StringComparison.OrdinalIgnoreCase)))
                continue;
            var cells = line.Split(',');
            if (cells.Length != 4)
            {
                errors.Add($"第 {number} 行：应有 4 列（timestamp,factor,value,flag），实有 {cells.Length} 列");
                continue;
            }
            var stamp = cells[0].Trim();
            if (!HasOffset(stamp) || !DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                errors.Add($"第 {number} 行：时间“{stamp}”不是带时区偏移的 ISO 8601 时间（例如 2026-04-01T08:00:00+08:00）");
                continue;
            }
            var factor = cells[1].Trim();
            if (factor.Length is 0 or > 16)
            {
                errors.Add($"第 {number} 行：缺少因子编码");
                continue;
            }
            var text = cells[2].Trim();
            var value = double.NaN;
            if (text.Length > 0 && !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            {
                errors.Add($"第 {number} 行：数值“{text}”不是数字");
                continue;
            }
            var flag = cells[3].Trim();
            if (flag.Length != 1)
            {
                errors.Add($"第 {number} 行：数据标记“{flag}”应为一个字母（HJ 212-2017 表 8：N F M S D C T B）");
                continue;
            }
            if (!byFactor.TryGetValue(factor, out var list))
                byFactor[factor] = list = [];
            list.Add(new MinuteValue(time.UtcDateTime, value, flag[0]));
        }
        var series = byFactor.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new FactorSeries(kv.Key, [.. kv.Value.OrderBy(v => v.TimeUtc)]))
            .ToList();
        return (series, errors);
    }

    private static bool HasOffset(string stamp) =>
        stamp.EndsWith('Z') || (stamp.Length > 6 && stamp[^6] is '+' or '-' && stamp[^3] == ':');

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal static void Write(Stream output, ValidityProfile profile, IReadOnlyList<FactorSeries> series)
    {
        var points = series.SelectMany(s => s.Points).ToList();
        if (points.Count == 0)
            return;
        var first = points.Min(p => p.TimeUtc);
        var last = points.Max(p => p.TimeUtc);
        var from = BeijingTime.DayStartUtc(BeijingTime.Date(first));
        var to = BeijingTime.DayStartUtc(BeijingTime.Date(last).AddDays(1));
        var result = OutletEvaluator.Evaluate(profile, series, new OutletContext(new HashSet<string>()), from, to);
        var shownFrom = ValidityEngine.TruncateHour(first);
        var shownTo = ValidityEngine.TruncateHour(last).AddHours(1);
        using var w = new Utf8JsonWriter(output, JsonOptions);
        var offset = Domain.Common.BeijingTime.Offset;
        foreach (var s in series)
            foreach (var hour in result.Hours[s.FactorCode].Where(h => h.HourUtc >= shownFrom && h.HourUtc < shownTo))
                Line(w, output, s.FactorCode, "hour", new DateTimeOffset(hour.HourUtc).ToOffset(offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
                    hour.Mean, "validCount", hour.ValidCount, hour.Status);
        foreach (var s in series)
            foreach (var day in result.Days[s.FactorCode])
                Line(w, output, s.FactorCode, "day", day.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), day.Mean, "validHours", day.ValidHours, day.Status);
    }

    /// <summary>One JSON line: {"factor", period name, "mean", count name, "valid"}.</summary>
    private static void Line(Utf8JsonWriter w, Stream output, string factor, string periodName, string period, double? mean, string countName, int count, PeriodStatus status)
    {
        w.WriteStartObject();
        w.WriteString("factor", factor);
        w.WriteString(periodName, period);
        WriteMean(w, mean);
        w.WriteNumber(countName, count);
        w.WriteBoolean("valid", status == PeriodStatus.Valid);
        w.WriteEndObject();
        w.Flush();
        output.WriteByte((byte)'\n');
        w.Reset();
    }

    private static void WriteMean(Utf8JsonWriter w, double? mean)
    {
        if (mean is { } m)
            w.WriteNumber("mean", Math.Round(m, 4));
        else
            w.WriteNull("mean");
    }
}
