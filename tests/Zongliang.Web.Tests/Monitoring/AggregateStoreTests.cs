using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Zongliang.Data.Monitoring;
using Zongliang.Domain.Common;
using Zongliang.Domain.Monitoring;
using Zongliang.Domain.Monitoring.Validity;
using Zongliang.Domain.Registry;
using Zongliang.Web.Tests.Infrastructure;

namespace Zongliang.Web.Tests.Monitoring;

/// <summary>The stored recompute of an outlet over a long range, piece by piece.</summary>
public sealed class AggregateStoreTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task ARangeLongerThanOnePieceIsStoredAsOneEvaluationOfTheWholeRangeWouldGiveIt()
    {
        // A water outlet without minute data of its own, given 40 days (two pieces of 31 days) of ten-minute
        // flow and COD, with a 30-hour gap across the pieces' boundary: its substitution needs the look-back
        // from the first piece, which the second takes from the hours stored before it.
        var outletId = await factory.QueryAsync(db => db.Outlets.Where(o => o.Medium == Medium.Water
            && !db.Readings.Any(r => r.OutletId == o.Id)).Select(o => o.Id).FirstAsync());
        var now = DateTime.UtcNow;
        var firstDay = BeijingTime.Date(now).AddDays(-40);
        var start = BeijingTime.DayStartUtc(firstDay);
        var gapFrom = BeijingTime.DayStartUtc(firstDay.AddDays(AggregateStore.ChunkDays)).AddHours(-10);
        var gapTo = gapFrom.AddHours(30);
        var readings = new List<Reading>();
        for (var t = start; t < now.AddHours(-1); t = t.AddMinutes(10))
        {
            if (t >= gapFrom && t < gapTo) continue;
            var n = (t - start).Ticks / TimeSpan.TicksPerMinute / 10;
            var flag = n % 97 == 0 ? "D" : "N";
            readings.Add(new Reading { OutletId = outletId, FactorCode = "w00000", Kind = ReadingKind.Minute, TimeUtc = t, Value = 20 + n % 7, Flag = flag });
            readings.Add(new Reading { OutletId = outletId, FactorCode = "w01018", Kind = ReadingKind.Minute, TimeUtc = t, Value = 30 + n % 11, Flag = flag });
        }
        await factory.QueryAsync(async db =>
        {
            db.Readings.AddRange(readings);
            return await db.SaveChangesAsync();
        });

        var store = factory.Services.GetRequiredService<AggregateStore>();
        var written = await store.RecomputeAsync(outletId, firstDay, TestContext.Current.CancellationToken);

        // The same range evaluated at once, in memory.
        var to = ValidityEngine.TruncateHour(DateTime.UtcNow);
        var (profile, massFactors, oxygen) = await factory.QueryAsync(async db =>
        {
            var outlet = await db.Outlets.SingleAsync(o => o.Id == outletId);
            var mass = await db.Factors.Where(f => !f.IsParameter && f.MassUnit.Length > 0).Select(f => f.Code).ToListAsync();
            return (factory.Services.GetRequiredService<ValidityRules>().For(outlet.Medium), mass.ToHashSet(), (double?)outlet.ReferenceOxygen);
        });
        var codes = await factory.QueryAsync(async db => (await db.Outlets.Include(o => o.Factors).SingleAsync(o => o.Id == outletId)).Factors.Select(f => f.FactorCode).ToList());
        var series = codes.Union(["w00000", "w01018"]).Select(code => new FactorSeries(code, readings.Where(r => r.FactorCode == code)
            .Select(r => new MinuteValue(r.TimeUtc, r.Value!.Value, r.Flag[0])).ToArray())).ToList();
        var expected = OutletEvaluator.Evaluate(profile, series, new OutletContext(massFactors, oxygen), start, to);

        var hours = await factory.QueryAsync(db => db.HourAggregates.Where(h => h.OutletId == outletId).ToListAsync());
        Assert.Equal(expected.Hours.Values.Sum(h => h.Length), written);
        Assert.Equal(written, hours.Count);
        foreach (var (code, values) in expected.Hours)
            foreach (var e in values)
            {
                var stored = hours.Single(h => h.FactorCode == code && h.HourUtc == e.HourUtc);
                Assert.Equal((e.Status, e.Mass), (stored.Status, stored.Mass));
                Assert.True(Math.Abs((e.MassKg ?? -1) - (stored.MassKg ?? -1)) < 1e-9, $"{code} {e.HourUtc:O} {e.Mass} {e.Status}: {e.MassKg} expected, {stored.MassKg} stored; gap {gapFrom:O}–{gapTo:O}");
            }
        // The gap's hours were substituted from the hours around it, across the boundary.
        Assert.Contains(hours, h => h.FactorCode == "w01018" && h.HourUtc == gapFrom.AddHours(12) && h.Mass != MassSource.Measured && h.MassKg > 0);
        var days = await factory.QueryAsync(db => db.DayAggregates.Where(d => d.OutletId == outletId).ToListAsync());
        foreach (var (code, values) in expected.Days)
            foreach (var e in values)
                Assert.Equal(e.MassKg, days.Single(d => d.FactorCode == code && d.Day == e.Day).MassKg, 9);
    }
}
