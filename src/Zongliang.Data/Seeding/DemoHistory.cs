using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Zongliang.Domain.Monitoring;
using Zongliang.Domain.Registry;

namespace Zongliang.Data.Seeding;

/// <summary>
/// The demo city's recent past: ten-minute data of the last days for every outlet with a networked
/// device, so that outlet pages show valid, invalid, suspect, stopped and substituted hours from the
/// first start. Each outlet gets one kind of trouble by its position: an analyser fault, a
/// calibration, a value stuck for hours, manually set values, a silent logger, a night stop; and some
/// a discharge pattern the warnings look for: an exceedance, a value held flat under the limit, no flow.
/// These readings come from no packet (RawPacketId 0): the archive holds only what loggers sent.
/// </summary>
public static class DemoHistory
{
    public static async Task<int> SeedAsync(ZongliangDbContext db, DateTime nowUtc, int days, CancellationToken ct)
    {
        var networked = DeviceState.Networked;
        var outlets = await db.Outlets.AsNoTracking().Include(o => o.Factors).Include(o => o.Enterprise)
            .Where(o => db.Devices.Any(d => d.OutletId == o.Id && d.State == networked))
            .OrderBy(o => o.Id).ToListAsync(ct);
        var end = new DateTime(nowUtc.Ticks - nowUtc.Ticks % TimeSpan.FromMinutes(10).Ticks, DateTimeKind.Utc);
        var start = end.AddDays(-days);
        // Trouble is placed relative to the day before yesterday (Beijing), so it lies in the past whatever the hour.
        var anchor = new DateTime(end.AddHours(8).Date.AddDays(-2).Ticks, DateTimeKind.Utc).AddHours(-8);

        await db.Database.OpenConnectionAsync(ct);
        var conn = db.Database.GetDbConnection();
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO "Readings" ("OutletId", "FactorCode", "Kind", "TimeUtc", "Value", "Flag", "RawPacketId")
            VALUES (@o, @f, @k, @t, @v, @g, 0)
            """;
        var (o, f, k, t, v, g) = (Add(cmd, "@o"), Add(cmd, "@f"), Add(cmd, "@k"), Add(cmd, "@t"), Add(cmd, "@v"), Add(cmd, "@g"));
        k.Value = (short)ReadingKind.Minute;
        // Npgsql prepares only parameters whose type it knows: give each a value of its type first.
        (o.Value, f.Value, t.Value, v.Value, g.Value) = (0, "", DateTime.SpecifyKind(DateTime.UnixEpoch, DateTimeKind.Utc), 0.0, "");
        await cmd.PrepareAsync(ct);
        var rows = 0;
        foreach (var (outlet, index) in outlets.Select((x, i) => (x, i)))
        {
            var rng = new Random(outlet.Id);
            var trouble = (Trouble)(index % 7);
            // Of the outlets without a device trouble, some show what the warnings look for.
            if (trouble == Trouble.None)
                trouble = ((index / 7) % 4) switch { 1 => Trouble.Exceedance, 2 => Trouble.Flat, 3 => Trouble.ZeroFlow, _ => Trouble.None };
            var troubleStart = anchor.AddHours(8 + index % 10);
            o.Value = outlet.Id;
            foreach (var factor in outlet.Factors)
            {
                f.Value = factor.FactorCode;
                var level = Level(factor, outlet.Medium);
                for (var at = start; at < end; at = at.AddMinutes(10))
                {
                    var hoursIn = (at - troubleStart).TotalHours;
                    var inTrouble = hoursIn is >= 0 and < 3;
                    if (trouble == Trouble.Silent && hoursIn is >= 0 and < 5)
                        continue;
                    var value = Math.Round(level * (0.8 + 0.4 * rng.NextDouble()), factor.FactorCode == "w01001" ? 2 : 3);
                    var flag = "N";
                    switch (trouble)
                    {
                        case Trouble.Fault when inTrouble && factor.FactorCode is not ("w00000" or "a00000"):
                            flag = "D";
                            break;
                        case Trouble.Calibration when hoursIn is >= 0 and < 1.5:
                            flag = "C";
                            break;
                        case Trouble.Stuck when hoursIn is >= 0 and < 5:
                            value = Math.Round(level, 3);
                            break;
                        case Trouble.Manual when inTrouble && factor.FactorCode is not ("w00000" or "a00000"):
                            flag = "S";
                            value = Math.Round(level * 0.5, 3);
                            break;
                        case Trouble.Exceedance when hoursIn is >= 0 and < 4 && factor.Limit is { } limit:
                            value = Math.Round((double)limit * (1.5 + 0.2 * rng.NextDouble()), 3);
                            break;
                        case Trouble.Flat when hoursIn is >= 0 and < 8 && factor.Limit is { } limit:
                            value = Math.Round(Flat(outlet, (double)limit) * (1 + 0.0005 * rng.NextDouble()), 3);
                            break;
                        case Trouble.Flat when hoursIn is >= 0 and < 8 && factor.FactorCode == "a19001":
                            value = Math.Round(9 * (1 + 0.0005 * rng.NextDouble()), 3); // the oxygen reading is held too
                            break;
                        case Trouble.ZeroFlow when hoursIn is >= 0 and < 4 && factor.FactorCode is "w00000" or "a00000":
                            value = 0;
                            break;
                        case Trouble.NightStop when at.AddHours(8).Hour < 6 && at > anchor:
                            flag = "F";
                            value = 0;
                            break;
                    }
                    t.Value = at;
                    v.Value = value;
                    g.Value = flag;
                    await cmd.ExecuteNonQueryAsync(ct);
                    rows++;
                }
            }
        }
        // The history came from the outlets' loggers: each networked device reported a moment ago, when the
        // demo was loaded, and counts a report every ten minutes (else every page would say 从未通信). It shows
        // as offline once it has been silent for Hj212:OfflineAfter, unless `zl simulate` keeps it reporting.
        var devices = await db.Devices.AsNoTracking().Where(d => d.State == networked).Select(d => new { d.Id, d.OutletId }).ToListAsync(ct);
        var withData = outlets.Select(x => x.Id).ToHashSet();
        await using (var status = conn.CreateCommand())
        {
            status.Transaction = tx;
            status.CommandText = "INSERT INTO \"DeviceStatuses\" (\"DeviceId\", \"LastSeenUtc\", \"LastPeer\", \"Packets\") VALUES (@d, @t, @p, @n)";
            var (sd, st, sp, sn) = (Add(status, "@d"), Add(status, "@t"), Add(status, "@p"), Add(status, "@n"));
            foreach (var d in devices.Where(d => withData.Contains(d.OutletId)))
            {
                (sd.Value, st.Value, sp.Value, sn.Value) = (d.Id, nowUtc, "演示历史数据", (long)(end - start).TotalMinutes / 10);
                await status.ExecuteNonQueryAsync(ct);
            }
        }
        await tx.CommitAsync(ct);
        return rows;
    }

    private enum Trouble
    {
        None, Fault, Calibration, Stuck, Manual, Silent, NightStop,
        // Discharge patterns for the warnings: over the limit for 4 hours; held flat just under it for 8; no flow for 4.
        Exceedance, Flat, ZeroFlow,
    }

    /// <summary>A raw value that is 93 % of the limit after the O2 correction of the outlet's typical oxygen (9 %).</summary>
    private static double Flat(Outlet outlet, double limit) =>
        outlet.Medium == Medium.Gas && outlet.ReferenceOxygen is { } reference && reference > 0
            ? limit * 0.93 * (21 - 9) / (21 - (double)reference)
            : limit * 0.93;

    /// <summary>A plausible level: 60 % of the limit for a pollutant, typical values for flows and parameters.</summary>
    private static double Level(OutletFactor factor, Medium medium) => factor.FactorCode switch
    {
        "w00000" => 40,
        "a00000" => 25,
        "w01001" => 7.2,
        "a19001" => 9,
        "a01012" => 120,
        "a01013" => 0.2,
        "a01014" => 8,
        // Gas at 45 %: with the O2 correction of a boiler (up to ×1.25) it stays under the 80 % pre-warning.
        _ => factor.Limit is { } limit ? (double)limit * (medium == Medium.Gas ? 0.45 : 0.6) : medium == Medium.Water ? 20 : 50,
    };

    private static DbParameter Add(DbCommand cmd, string name)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        cmd.Parameters.Add(p);
        return p;
    }
}
