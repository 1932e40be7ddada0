using System.Text.Json;
using System.Text.Json.Serialization;
using Zongliang.Domain.Monitoring.Validity;

namespace Zongliang.Domain.Monitoring.Comparison;

/// <summary>How a comparison's error is measured (HJ 355-2019 table 1, HJ 75-2017).</summary>
public enum ErrorKind
{
    /// <summary>绝对误差: device − reference, in the band's unit.</summary>
    Absolute = 1,
    /// <summary>相对误差: (device − reference) / reference, %.</summary>
    Relative = 2,
    /// <summary>相对准确度: (|mean difference| + |confidence coefficient|) / mean reference, %.</summary>
    RelativeAccuracy = 3,
}

/// <summary>A band of reference concentrations with its limit; <see cref="Below"/> null is the open top band.</summary>
public sealed record LimitBand(double? Below, ErrorKind Kind, double Limit, string Source, bool IsDefault);

/// <summary>The bands of one factor; <see cref="MolarMass"/> set when the bands are in μmol/mol and the data in mg/m³.</summary>
public sealed record FactorLimits(string Unit, double? MolarMass, IReadOnlyList<LimitBand> Bands);

/// <summary>Comparison-test limits (比对监测评价限值), loaded from rules/comparison-limits.json: rules are data.</summary>
public sealed record ComparisonLimits(string About, CitedNumber MinPairs, CitedNumber MinPairsRelativeAccuracy, CitedNumber MatchMinutes,
    IReadOnlyDictionary<string, FactorLimits> Factors)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static ComparisonLimits Load(string? directory = null)
    {
        var path = Path.Combine(directory ?? ValidityProfile.DefaultDirectory, "comparison-limits.json");
        using var stream = File.OpenRead(path);
        ComparisonLimits? limits;
        try
        {
            limits = JsonSerializer.Deserialize<ComparisonLimits>(stream, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        if (limits is null || limits.Factors.Count == 0 || limits.Factors.Values.Any(f => f.Bands.Count == 0 || f.Bands[^1].Below is not null))
            throw new InvalidDataException($"{path}: every factor needs bands ending with an open band (below: null)");
        return limits;
    }
}
