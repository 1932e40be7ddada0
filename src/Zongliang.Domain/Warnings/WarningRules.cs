using System.Text.Json;
using Zongliang.Domain.Monitoring.Validity;

namespace Zongliang.Domain.Warnings;

public sealed record ExceedanceRules(string GasBasis, string WaterBasis, CitedNumber PreWarningPercent, CitedNumber ContinuousPeriods,
    CitedNumber LookbackHours, CitedNumber LookbackDays, CitedNumber OpenCaseAtLevel);

public sealed record AnnualRules(IReadOnlyList<CitedNumber> Percents);

public sealed record DeviceRules(CitedNumber OfflineMinutes, CitedNumber NoDataHours);

public sealed record LinkageRules(CitedNumber DeadlineDays);

public sealed record SupervisoryRules(CitedNumber MaxDifferencePercent, CitedNumber SuspicionScore, CitedNumber PostDeadlineDays, CitedNumber ReportDueDays);

public sealed record FlatBelowLimitRules(CitedNumber MinHours, CitedNumber BandPercent, CitedNumber MaxRelativeSpread);

public sealed record SharpDropRules(CitedNumber DropRatio, CitedNumber FlowTolerance);

public sealed record SmoothMinutesRules(CitedNumber WindowHours, CitedNumber MinPoints, CitedNumber MaxCoefficientOfVariation);

public sealed record SuspicionRules(CitedNumber OpenCaseAtScore, CitedNumber NeighbourKm, FlatBelowLimitRules FlatBelowLimit, SharpDropRules SharpDrop, SmoothMinutesRules SmoothMinutes);

/// <summary>
/// The warning rules as data (rules/warning-rules.json): exceedance levels, annual-total percents,
/// device timeouts, the linkage deadline and the falsification detectors' parameters. Every number
/// carries its source, like the validity profiles; a bureau edits the file without a rebuild.
/// </summary>
public sealed record WarningRules(string About, ExceedanceRules Exceedance, AnnualRules Annual, DeviceRules Device, SupervisoryRules Supervisory, LinkageRules Linkage, SuspicionRules Suspicion)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true,
    };

    public static WarningRules Load(string? directory = null)
    {
        var path = Path.Combine(directory ?? ValidityProfile.DefaultDirectory, "warning-rules.json");
        using var stream = File.OpenRead(path);
        var rules = JsonSerializer.Deserialize<WarningRules>(stream, Json) ?? throw new InvalidDataException($"{path}: empty");
        var problems = rules.Problems().ToList();
        if (problems.Count > 0)
            throw new InvalidDataException($"{path}: {string.Join("; ", problems)}");
        return rules;
    }

    private IEnumerable<string> Problems()
    {
        if (Exceedance is null || Annual is null || Device is null || Supervisory is null || Linkage is null || Suspicion is null)
        {
            yield return "exceedance, annual, device, supervisory, linkage and suspicion are required";
            yield break;
        }
        if (Exceedance.GasBasis is not ("hour" or "day") || Exceedance.WaterBasis is not ("hour" or "day"))
            yield return "gasBasis and waterBasis are \"hour\" or \"day\"";
        if (Exceedance.PreWarningPercent.Value is <= 0 or > 100)
            yield return "preWarningPercent must be in (0, 100]";
        if (Exceedance.ContinuousPeriods.Value < 2)
            yield return "continuousPeriods must be at least 2";
        if (Exceedance.OpenCaseAtLevel.Value is < 1 or > 4)
            yield return "openCaseAtLevel is 1, 2, 3 or 4 (4: never)";
        if (Annual.Percents.Count != 3 || Annual.Percents.Zip(Annual.Percents.Skip(1)).Any(p => p.First.Value >= p.Second.Value))
            yield return "annual.percents are three increasing percents (yellow, orange, red)";
        if (Device.OfflineMinutes.Value <= 0 || Device.NoDataHours.Value < 1)
            yield return "device timeouts must be positive";
        if (Supervisory.MaxDifferencePercent.Value <= 0 || Supervisory.PostDeadlineDays.Value < 0)
            yield return "supervisory.maxDifferencePercent must be positive and postDeadlineDays not negative";
        if (Linkage.DeadlineDays.Value < 1)
            yield return "linkage.deadlineDays must be at least 1";
    }

    public bool HourlyFor(Registry.Medium medium) =>
        (medium == Registry.Medium.Water ? Exceedance.WaterBasis : Exceedance.GasBasis) == "hour";
}
