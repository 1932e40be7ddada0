using DuckDB.NET.Data;
using Zongliang.Domain.Monitoring.Validity;

namespace Zongliang.Benchmarks;

/// <summary>A synthetic year of 10-minute data: half water outlets, half gas, six factors each, with stops, faults and missing points.</summary>
public sealed class YearDataset
{
    public sealed record OutletData(int Id, bool Water, FactorSeries[] Series, IReadOnlySet<string> MassFactors);

    public required ValidityProfile Gas { get; init; }
    public required ValidityProfile Water { get; init; }
    public required List<OutletData> Outlets { get; init; }
    public required DateTime From { get; init; }
    public required DateTime To { get; init; }
    public long Values => Outlets.Sum(o => o.Series.Sum(s => (long)s.Points.Length));

    private static readonly string[] WaterFactors = ["w00000", "w01018", "w21003", "w21011", "w21001", "w01001"];
    private static readonly string[] GasFactors = ["a00000", "a21026", "a21002", "a34013", "a19001", "a01012"];
    private static readonly HashSet<string> WaterMass = ["w01018", "w21003", "w21011", "w21001"];
    private static readonly HashSet<string> GasMass = ["a21026", "a21002", "a34013"];

    public static YearDataset Create(int outlets, int seed)
    {
        // 2026 in Beijing days: 2025-12-31 16:00 UTC to 2026-12-31 16:00 UTC.
        var from = new DateTime(2025, 12, 31, 16, 0, 0, DateTimeKind.Utc);
        var to = from.AddDays(365);
        var points = (int)((to - from).TotalMinutes / 10);
        var list = new List<OutletData>(outlets);
        for (var o = 0; o < outlets; o++)
        {
            var random = new Random(seed + o);
            var water = o % 2 == 0;
            var stopped = new bool[points];
            for (var i = 1; i < points; i++)
                stopped[i] = stopped[i - 1] ? random.NextDouble() < 0.995 : random.NextDouble() < 0.0005;
            var factors = water ? WaterFactors : GasFactors;
            var series = factors.Select((code, f) =>
            {
                var level = 10.0 * (f + 1);
                var values = new List<MinuteValue>(points);
                var flag = 'N';
                for (var i = 0; i < points; i++)
                {
                    if (flag != 'N' ? random.NextDouble() < 0.05 : random.NextDouble() < 0.002)
                        flag = flag != 'N' ? 'N' : "MDCBT"[random.Next(5)];
                    if (random.NextDouble() < 0.01)
                        continue;
                    var v = Math.Round(level * (0.6 + 0.8 * random.NextDouble()), 2);
                    values.Add(new MinuteValue(from.AddMinutes(10 * i), stopped[i] ? 0 : v, stopped[i] ? 'F' : flag));
                }
                return new FactorSeries(code, [.. values]);
            }).ToArray();
            list.Add(new OutletData(o, water, series, water ? WaterMass : GasMass));
        }
        return new YearDataset
        {
            Gas = ValidityProfile.Load("gas"),
            Water = ValidityProfile.Load("water"),
            Outlets = list,
            From = from,
            To = to,
        };
    }

    public void LoadInto(DuckDBConnection duck)
    {
        using (var create = duck.CreateCommand())
        {
            create.CommandText = "CREATE TABLE minutes(outlet INTEGER, water BOOLEAN, factor VARCHAR, t TIMESTAMP, v DOUBLE, flag VARCHAR)";
            create.ExecuteNonQuery();
        }
        using var appender = duck.CreateAppender("minutes");
        foreach (var outlet in Outlets)
            foreach (var s in outlet.Series)
                foreach (var p in s.Points)
                    appender.CreateRow().AppendValue(outlet.Id).AppendValue(outlet.Water).AppendValue(s.FactorCode)
                        .AppendValue(p.TimeUtc).AppendValue(p.Value).AppendValue(p.Flag.ToString()).EndRow();
    }

    /// <summary>
    /// Hour validity (75 % of the expected points, F excluded), flow volume, mass, substitution of
    /// invalid hours (gaps up to 24 h: mean of the measured hours around; longer: the largest of the
    /// previous 720 hours, counted as rows, not valid hours), Beijing days; returns the year's total mass.
    /// Hours without any row and the suspect checks are left out: window functions do not express them simply.
    /// </summary>
    public const string DuckDbQuery = """
        WITH hours AS (
            SELECT outlet, water, factor, date_trunc('hour', t) AS h,
                   count(*) FILTER (WHERE flag = 'N') AS valid_n,
                   count(*) FILTER (WHERE flag = 'F') AS stopped_n,
                   avg(v) FILTER (WHERE flag = 'N') AS mean
            FROM minutes GROUP BY ALL),
        judged AS (
            SELECT *, CASE WHEN 6 - stopped_n <= 0 THEN 'S'
                           WHEN valid_n > 0 AND valid_n >= ceil(0.75 * (6 - stopped_n) - 1e-9) THEN 'V'
                           ELSE 'I' END AS status
            FROM hours),
        flow AS (
            SELECT outlet, h, status AS flow_status,
                   CASE WHEN status = 'V' THEN mean * CASE WHEN water THEN 3.6 ELSE 3600 END END AS volume
            FROM judged WHERE factor IN ('w00000', 'a00000')),
        mass AS (
            SELECT j.outlet, j.factor, j.h,
                   CASE WHEN j.status = 'S' OR f.flow_status = 'S' THEN 0.0
                        WHEN j.status = 'V' AND f.volume IS NOT NULL THEN j.mean * f.volume * CASE WHEN j.water THEN 1e-3 ELSE 1e-6 END
                   END AS kg,
                   j.status = 'S' OR f.flow_status = 'S' AS stopped
            FROM judged j JOIN flow f USING (outlet, h)
            WHERE j.factor IN ('w01018', 'w21003', 'w21011', 'w21001', 'a21026', 'a21002', 'a34013')),
        islands AS (
            SELECT *, count(kg) OVER (PARTITION BY outlet, factor ORDER BY h ROWS UNBOUNDED PRECEDING) AS island,
                   CASE WHEN NOT stopped THEN kg END AS measured
            FROM mass),
        around AS (
            SELECT *, count(*) FILTER (WHERE kg IS NULL) OVER (PARTITION BY outlet, factor, island) AS gap,
                   last_value(measured IGNORE NULLS) OVER (PARTITION BY outlet, factor ORDER BY h ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before,
                   first_value(measured IGNORE NULLS) OVER (PARTITION BY outlet, factor ORDER BY h ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS after,
                   max(measured) OVER (PARTITION BY outlet, factor ORDER BY h ROWS BETWEEN 720 PRECEDING AND 1 PRECEDING) AS largest
            FROM islands),
        accounted AS (
            SELECT outlet, factor, CAST(h + INTERVAL 8 HOUR AS DATE) AS day,
                   coalesce(kg, CASE WHEN gap <= 24 THEN coalesce((before + after) / 2, before, after, largest) ELSE largest END) AS kg
            FROM around),
        days AS (
            SELECT outlet, factor, day, sum(kg) AS kg FROM accounted GROUP BY ALL)
        SELECT sum(kg) FROM days
        """;
}
