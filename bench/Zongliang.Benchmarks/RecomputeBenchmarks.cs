using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using DuckDB.NET.Data;
using Zongliang.Domain.Monitoring.Validity;

namespace Zongliang.Benchmarks;

/// <summary>
/// Recomputes a year of 10-minute data for 120 outlets × 6 factors (≈ 38 M values): hour and day
/// validity, means, masses with substitution, month/quarter/year rollups. The same job runs as one
/// SQL query in DuckDB on the same data, for comparison.
/// dotnet run -c Release --project bench/Zongliang.Benchmarks -- --filter '*Recompute*'
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser]
public class RecomputeBenchmarks
{
    private YearDataset _data = null!;
    private DuckDBConnection _duck = null!;

    [GlobalSetup]
    public void Setup()
    {
        _data = YearDataset.Create(outlets: 120, seed: 2026);
        Console.WriteLine($"// {_data.Values:N0} minute values, {_data.Outlets.Count} outlets");
        _duck = new DuckDBConnection("DataSource=:memory:");
        _duck.Open();
        _data.LoadInto(_duck);
        Console.WriteLine($"// C# total mass {Platform():N1} kg, DuckDB total mass {DuckDb():N1} kg (DuckDB's substitution is simpler, see the query)");
    }

    [GlobalCleanup]
    public void Cleanup() => _duck.Dispose();

    /// <summary>The platform's own code, outlets in parallel on every core.</summary>
    [Benchmark(Baseline = true)]
    public double Platform()
    {
        var totals = new double[_data.Outlets.Count];
        Parallel.For(0, _data.Outlets.Count, i =>
        {
            var outlet = _data.Outlets[i];
            var profile = outlet.Water ? _data.Water : _data.Gas;
            var result = OutletEvaluator.Evaluate(profile, outlet.Series, new OutletContext(outlet.MassFactors, outlet.Water ? null : 6), _data.From, _data.To);
            foreach (var code in outlet.MassFactors)
            {
                var days = result.Days[code];
                var flowDays = result.Days[profile.Mass.FlowFactor];
                // months and quarters, as the reports show them
                foreach (var span in new Func<DateOnly, int>[] { d => d.Month, d => (d.Month + 2) / 3 })
                    for (var a = 0; a < days.Length;)
                    {
                        var b = a;
                        while (b < days.Length && span(days[b].Day) == span(days[a].Day))
                            b++;
                        ValidityEngine.Roll(profile, days.AsSpan(a, b - a), flowDays.AsSpan(a, b - a));
                        a = b;
                    }
                totals[i] += ValidityEngine.Roll(profile, days, flowDays).MassKg;
            }
        });
        return totals.Sum();
    }

    /// <summary>The same job as one SQL query over the minute table.</summary>
    [Benchmark]
    public double DuckDb()
    {
        using var cmd = _duck.CreateCommand();
        cmd.CommandText = YearDataset.DuckDbQuery;
        return Convert.ToDouble(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
