using Zongliang.Domain.Common;

namespace Zongliang.Domain.Monitoring.Comparison;

/// <summary>One lab sample with the device's value at the same time, both in the factor's data unit (mg/L, mg/m³).</summary>
public readonly record struct SamplePair(double Device, double Reference);

/// <summary>The verdict on one factor of a comparison: the band chosen by the mean reference, the error, its limit, pass or fail.</summary>
public sealed record ComparisonVerdict(string FactorCode, ErrorKind Kind, double Error, double Limit, bool Passed, double ReferenceMean, int Pairs, string Unit, string Source)
{
    /// <summary>How the verdict reads in a table: "相对误差 −12.5 %（限值 ±15 %）".</summary>
    public string Describe() => Kind switch
    {
        ErrorKind.Absolute => $"绝对误差 {Error:+0.###;−0.###;0} {Unit}（限值 ±{Limit} {Unit}）",
        ErrorKind.Relative => $"相对误差 {Error:+0.#;−0.#;0} %（限值 ±{Limit} %）",
        _ => $"相对准确度 {Error:0.#} %（限值 ≤{Limit} %）",
    };
}

/// <summary>
/// Evaluates a comparison test (比对监测) of one factor: device values against the reference
/// method's at the same sampling times, by the band of the mean reference value.
/// Absolute and relative errors are checked pair by pair and the worst pair is reported (every pair
/// must pass); relative accuracy is computed over all pairs as HJ 75-2017 defines it.
/// </summary>
public static class ComparisonEvaluator
{
    /// <summary>Molar volume at standard conditions, L/mol (HJ 212-2017 Appendix D formula (20)).</summary>
    public const double MolarVolume = 22.4;

    public static (ComparisonVerdict? Verdict, Outcome Outcome) Evaluate(ComparisonLimits limits, string factorCode, IReadOnlyList<SamplePair> pairs)
    {
        if (!limits.Factors.TryGetValue(factorCode, out var factor))
            return (null, Outcome.Refuse($"比对限值中没有因子 {factorCode}", "FactorCode"));
        var minimum = (int)limits.MinPairs.Value;
        if (pairs.Count < minimum)
            return (null, Outcome.Refuse($"至少需要 {minimum} 组同步数据，现有 {pairs.Count} 组", "Samples"));
        // Gas bands are in μmol/mol: mg/m³ × 22.4 / M.
        var scale = factor.MolarMass is { } m and > 0 ? MolarVolume / m : 1.0;
        var device = pairs.Select(p => p.Device * scale).ToArray();
        var reference = pairs.Select(p => p.Reference * scale).ToArray();
        var referenceMean = reference.Average();
        var band = factor.Bands.First(b => b.Below is null || referenceMean < b.Below);
        double error;
        bool passed;
        switch (band.Kind)
        {
            case ErrorKind.Absolute:
                error = Worst(device.Select((d, i) => d - reference[i]));
                passed = Math.Abs(error) <= band.Limit + 1e-9;
                break;
            case ErrorKind.Relative:
                if (reference.Any(r => r <= 0))
                    return (null, Outcome.Refuse("参比测定值须大于零才能计算相对误差", "Samples"));
                error = Worst(device.Select((d, i) => (d - reference[i]) / reference[i] * 100));
                passed = Math.Abs(error) <= band.Limit + 1e-9;
                break;
            default:
                var minimumRa = (int)limits.MinPairsRelativeAccuracy.Value;
                if (pairs.Count < minimumRa)
                    return (null, Outcome.Refuse($"相对准确度至少需要 {minimumRa} 组同步数据，现有 {pairs.Count} 组", "Samples"));
                error = RelativeAccuracy(device, reference);
                passed = error <= band.Limit + 1e-9;
                break;
        }
        return (new ComparisonVerdict(factorCode, band.Kind, error, band.Limit, passed, referenceMean, pairs.Count, factor.Unit, band.Source), Outcome.Ok());
    }

    private static double Worst(IEnumerable<double> errors) => errors.MaxBy(Math.Abs);

    /// <summary>RA = (|d̄| + |cc|) / x̄ × 100 %, cc = t(n−1) × Sd / √n, with the two-sided 95 % t value.</summary>
    public static double RelativeAccuracy(double[] device, double[] reference)
    {
        var n = device.Length;
        var d = device.Select((x, i) => x - reference[i]).ToArray();
        var mean = d.Average();
        var sd = Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / (n - 1));
        var cc = T95(n - 1) * sd / Math.Sqrt(n);
        return (Math.Abs(mean) + Math.Abs(cc)) / reference.Average() * 100;
    }

    // Two-sided 95 % Student t for 1–30 degrees of freedom; 1.96 beyond.
    private static readonly double[] TTable =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    public static double T95(int degreesOfFreedom) =>
        degreesOfFreedom < 1 ? double.NaN : degreesOfFreedom <= TTable.Length ? TTable[degreesOfFreedom - 1] : 1.96;
}
