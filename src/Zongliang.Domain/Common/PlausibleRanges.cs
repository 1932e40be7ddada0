using System.Globalization;
using System.Text.Json;
using Zongliang.Domain.Monitoring.Validity;

namespace Zongliang.Domain.Common;

/// <summary>A cited range of values: inclusive bounds, with where they come from.</summary>
public sealed record CitedRange(double Min, double Max, string Source, bool IsDefault)
{
    public bool Contains(double value) => double.IsFinite(value) && value >= Min && value <= Max;

    public bool Contains(decimal value) => value >= (decimal)Min && value <= (decimal)Max;

    public string Describe(string unit) =>
        $"{Min.ToString("0.###", CultureInfo.InvariantCulture)}～{Max.ToString("0.###", CultureInfo.InvariantCulture)}{unit}";
}

/// <summary>
/// The plausible ranges of what users and loggers send (rules/plausible-ranges.json): tonnages, lab
/// values, limits, dates and years. An amount of 1e20 t once confirmed into a ledger ("达标", headroom
/// 1e20 t) and a target of 7.9e28 t made PostgreSQL's column overflow into a 500; now the Domain refuses
/// them with a message for the field. Every bound is a platform default, cited as such in the file.
/// </summary>
public sealed record PlausibleRanges(string About, CitedRange ProjectTonnes, CitedRange RegionTonnes, CitedRange LabValue, CitedRange Limit,
    CitedNumber EarliestYear, CitedNumber YearsAhead)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true };

    /// <summary>The ranges in force: the shipped file until the host loads the configured one (<see cref="Use"/>).</summary>
    public static PlausibleRanges Current { get; private set; } = Load();

    /// <summary>Puts ranges in force (the host does it once at start-up).</summary>
    public static void Use(PlausibleRanges ranges) => Current = ranges;

    /// <summary>Loads the file from <paramref name="directory"/>; a rules folder copied before the file shipped has none, and the shipped one is used.</summary>
    public static PlausibleRanges Load(string? directory = null)
    {
        var path = Path.Combine(directory ?? ValidityProfile.DefaultDirectory, "plausible-ranges.json");
        if (directory is not null && !File.Exists(path))
            path = Path.Combine(ValidityProfile.DefaultDirectory, "plausible-ranges.json");
        using var stream = File.OpenRead(path);
        var r = JsonSerializer.Deserialize<PlausibleRanges>(stream, Json) ?? throw new InvalidDataException($"{path}: empty");
        foreach (var range in new[] { r.ProjectTonnes, r.RegionTonnes, r.LabValue, r.Limit })
            if (range is null || !(range.Min <= range.Max)) throw new InvalidDataException($"{path}: every range needs min ≤ max");
        if (r.EarliestYear is null || r.EarliestYear.Value is < 1900 or > 2100 || r.YearsAhead is null || r.YearsAhead.Value is < 1 or > 100)
            throw new InvalidDataException($"{path}: earliestYear (1900–2100) and yearsAhead (1–100) are required");
        return r;
    }

    public DateOnly EarliestDate => new((int)EarliestYear.Value, 1, 1);

    /// <summary>The last date a deadline or plan may name: <see cref="YearsAhead"/> years after today.</summary>
    public DateOnly LatestDate(DateOnly today) => new(Math.Min(9998, today.Year + (int)YearsAhead.Value), 12, 31);

    public bool IsPlausibleYear(int year, DateOnly today) => year >= EarliestDate.Year && year <= LatestDate(today).Year;

    public bool IsPlausibleDate(DateOnly date, DateOnly today) => date >= EarliestDate && date <= LatestDate(today);

    /// <summary>A UTC instant within the plausible dates (so that converting it to Beijing time and back cannot overflow).</summary>
    public bool IsPlausibleInstant(DateTime utc, DateTime nowUtc) => IsPlausibleDate(DateOnly.FromDateTime(utc), DateOnly.FromDateTime(nowUtc));

    /// <summary>The message for a date outside the range.</summary>
    public string DateMessage(DateOnly today) => $"日期超出合理范围（{EarliestDate:yyyy-MM-dd} 至 {LatestDate(today):yyyy-MM-dd}）";

    public string YearMessage(DateOnly today) => $"年度超出合理范围（{EarliestDate.Year}～{LatestDate(today).Year}）";

    /// <summary>A project's, measure's or enterprise's tonnes a year of one pollutant.</summary>
    public Outcome CheckProjectTonnes(decimal tonnes, string field) =>
        ProjectTonnes.Contains(tonnes) ? Outcome.Ok() : Outcome.Refuse($"数值超出合理范围（{ProjectTonnes.Describe(" 吨/年")}）", field);

    /// <summary>A region's tonnes a year of one pollutant.</summary>
    public Outcome CheckRegionTonnes(decimal tonnes, string field) =>
        RegionTonnes.Contains(tonnes) ? Outcome.Ok() : Outcome.Refuse($"数值超出合理范围（{RegionTonnes.Describe(" 吨/年")}）", field);
}
