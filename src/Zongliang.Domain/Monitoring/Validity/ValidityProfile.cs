using System.Text.Json;
using System.Text.Json.Serialization;
using Zongliang.Domain.Registry;

namespace Zongliang.Domain.Monitoring.Validity;

/// <summary>A number of a rule with the clause it comes from; <see cref="IsDefault"/> marks a platform default to check against the bureau's copy of the standard.</summary>
public sealed record CitedNumber(double Value, string Source, bool IsDefault);

/// <summary>Which data flags (HJ 212-2017 table 8) make a minute value valid, stopped, manual or invalid.</summary>
public sealed record FlagRules(string Valid, string Stopped, string Manual, string Invalid, string Source, bool IsDefault);

public sealed record DayRules(string Basis, CitedNumber MinValidHours, CitedNumber MinValidPointsRatio, bool FlowWeighted)
{
    /// <summary>"hours": a day needs <see cref="MinValidHours"/> valid hours (gas); "points": a share of the expected minute points (water).</summary>
    public bool CountsHours => Basis == "hours";
}

public sealed record SuspectRules(CitedNumber RepeatMinutes, CitedNumber JumpFactor, CitedNumber JumpFloor, IReadOnlyDictionary<string, CitedNumber> Ranges);

public sealed record SubstitutionRules(CitedNumber ShortGapHours, CitedNumber LookbackValidHours);

public sealed record MassRules(string FlowFactor, CitedNumber FlowToCubicMetresPerHour, CitedNumber KgPerConcentrationVolume, string OxygenFactor);

/// <summary>
/// A validity rule profile (有效性规则): how minute values, hours and days are judged, what is
/// suspect, how missing hours are substituted and how mass is computed. Rules are data: the
/// profiles ship as JSON files beside the program (rules/validity-*.json), every number with its
/// source clause, and a bureau edits them without a rebuild.
/// </summary>
public sealed record ValidityProfile(
    string Name,
    string Title,
    Medium Medium,
    string About,
    FlagRules Flags,
    CitedNumber HourMinValidRatio,
    DayRules Day,
    SuspectRules Suspect,
    SubstitutionRules Substitution,
    MassRules Mass)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter() },
    };

    private MinuteClass[]? _classes;

    /// <summary>The folder of the profiles that ship with the program.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "rules");

    /// <summary>The names of the profiles in a folder (validity-NAME.json).</summary>
    public static IReadOnlyList<string> Names(string? directory = null) =>
        Directory.Exists(directory ?? DefaultDirectory)
            ? Directory.GetFiles(directory ?? DefaultDirectory, "validity-*.json")
                .Select(f => Path.GetFileNameWithoutExtension(f)["validity-".Length..]).Order().ToList()
            : [];

    /// <summary>Loads validity-<paramref name="name"/>.json from <paramref name="directory"/> (default: the shipped rules folder).</summary>
    public static ValidityProfile Load(string name, string? directory = null)
    {
        if (name.Length == 0 || name.AsSpan().IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.Contains('.'))
            throw new ArgumentException($"规则名称无效：{name}", nameof(name));
        var path = Path.Combine(directory ?? DefaultDirectory, $"validity-{name}.json");
        if (!File.Exists(path))
            throw new FileNotFoundException($"找不到有效性规则文件 {Path.GetFileName(path)}", path);
        using var stream = File.OpenRead(path);
        return Parse(stream, path);
    }

    public static ValidityProfile Parse(Stream json, string origin = "profile")
    {
        ValidityProfile? profile;
        try
        {
            profile = JsonSerializer.Deserialize<ValidityProfile>(json, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{origin}: {e.Message}", e);
        }
        if (profile is null)
            throw new InvalidDataException($"{origin}: empty");
        var problems = profile.Problems().ToList();
        if (problems.Count > 0)
            throw new InvalidDataException($"{origin}: {string.Join("; ", problems)}");
        return profile;
    }

    /// <summary>What is wrong with the numbers, so a mistyped file stops the start instead of judging data wrongly.</summary>
    public IEnumerable<string> Problems()
    {
        if (HourMinValidRatio is not { Value: > 0 and <= 1 })
            yield return "hourMinValidRatio must be in (0, 1]";
        if (Day.CountsHours && Day.MinValidHours is not { Value: > 0 and <= 24 })
            yield return "day.minValidHours must be in (0, 24]";
        if (!Day.CountsHours && Day.MinValidPointsRatio is not { Value: > 0 and <= 1 })
            yield return "day.minValidPointsRatio must be in (0, 1]";
        if (Day.Basis is not ("hours" or "points"))
            yield return "day.basis must be hours or points";
        if (Suspect.RepeatMinutes.Value <= 0 || Suspect.JumpFactor.Value <= 1)
            yield return "suspect.repeatMinutes must be positive and suspect.jumpFactor above 1";
        if (Substitution.ShortGapHours.Value < 0 || Substitution.LookbackValidHours.Value < 1)
            yield return "substitution hours must be positive";
        if (Mass.FlowToCubicMetresPerHour.Value <= 0 || Mass.KgPerConcentrationVolume.Value <= 0)
            yield return "mass factors must be positive";
        var letters = Flags.Valid + Flags.Stopped + Flags.Manual + Flags.Invalid;
        if (letters.Length != letters.Distinct().Count())
            yield return "a flag letter is in two classes";
    }

    /// <summary>How a minute value with this flag counts. A flag in no class (a logger's own letter) is invalid.</summary>
    public MinuteClass Classify(char flag)
    {
        var classes = _classes ??= BuildClasses();
        return flag < 128 ? classes[char.ToUpperInvariant(flag)] : MinuteClass.Invalid;
    }

    private MinuteClass[] BuildClasses()
    {
        var classes = new MinuteClass[128];
        Array.Fill(classes, MinuteClass.Invalid);
        foreach (var c in Flags.Valid) classes[char.ToUpperInvariant(c)] = MinuteClass.Valid;
        foreach (var c in Flags.Stopped) classes[char.ToUpperInvariant(c)] = MinuteClass.Stopped;
        foreach (var c in Flags.Manual) classes[char.ToUpperInvariant(c)] = MinuteClass.Manual;
        return classes;
    }

    /// <summary>The analyser's upper range for a factor, when the profile knows it.</summary>
    public double? RangeOf(string factorCode) => Suspect.Ranges.TryGetValue(factorCode, out var r) ? r.Value : null;
}

/// <summary>How one minute value counts (HJ 212-2017 table 8 flags, grouped by the profile).</summary>
public enum MinuteClass : byte
{
    Invalid = 0,
    Valid = 1,
    /// <summary>F: the source is not producing; excluded from means and from the expected count.</summary>
    Stopped = 2,
    /// <summary>S: a manually set value, invalid until an auditor approves the period.</summary>
    Manual = 3,
}
