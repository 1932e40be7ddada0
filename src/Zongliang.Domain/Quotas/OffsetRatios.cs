using System.Text.Json;
using Zongliang.Domain.Monitoring.Validity;

namespace Zongliang.Domain.Quotas;

/// <summary>An override of the offset ratio for a region (by code) and pollutant.</summary>
public sealed record OffsetOverride(string RegionCode, string Pollutant, double Ratio, string Source);

/// <summary>
/// Offset ratios (削减替代比例) as data, rules/quota-offsets.json: required offsets = applied tonnes ×
/// ratio; 1:1 by default, 2:1 where the region is not meeting its target, overrides per region and pollutant.
/// </summary>
public sealed record OffsetRatios(string About, CitedNumber Default, CitedNumber RegionFailedTarget, IReadOnlyList<OffsetOverride> Overrides)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true };

    public static OffsetRatios Load(string? path = null)
    {
        path ??= Path.Combine(ValidityProfile.DefaultDirectory, "quota-offsets.json");
        using var stream = File.OpenRead(path);
        var ratios = JsonSerializer.Deserialize<OffsetRatios>(stream, Json) ?? throw new InvalidDataException($"{path}: empty");
        if (ratios.Default.Value <= 0 || ratios.RegionFailedTarget.Value <= 0 || ratios.Overrides.Any(o => o.Ratio <= 0))
            throw new InvalidDataException($"{path}: ratios must be positive");
        return ratios;
    }

    public decimal RatioFor(string regionCode, string pollutant, bool regionMeetsTarget) =>
        (decimal)(Overrides.FirstOrDefault(o => o.RegionCode == regionCode && o.Pollutant == pollutant)?.Ratio
            ?? (regionMeetsTarget ? Default.Value : RegionFailedTarget.Value));
}
