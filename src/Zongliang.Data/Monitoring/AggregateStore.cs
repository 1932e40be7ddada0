using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Zongliang.Domain.Access;
using Zongliang.Domain.Monitoring;
using Zongliang.Domain.Monitoring.Comparison;
using Zongliang.Domain.Monitoring.Validity;
using Zongliang.Domain.Registry;
using Zongliang.Domain.Common;

namespace Zongliang.Data.Monitoring;

/// <summary>The validity profile of each medium, loaded once from the rules folder (Validity:RulesDirectory; default: the shipped rules).</summary>
public sealed class ValidityRules(string? directory)
{
    public ValidityProfile Gas { get; } = ValidityProfile.Load("gas", directory);
    public ValidityProfile Water { get; } = ValidityProfile.Load("water", directory);

    public ValidityProfile For(Medium medium) => medium == Medium.Water ? Water : Gas;
}

/// <summary>Told after an outlet's aggregates were rewritten (the warnings follow the data).</summary>
public interface IAggregatesObserver
{
    Task RecomputedAsync(int outletId, CancellationToken ct);
}

/// <summary>
/// Recomputes an outlet's stored hours and days from its minute readings and audit decisions, with
/// the same Domain code as `zl validity evaluate`. The look-back the substitution needs comes from
/// the hours stored before the range, so a recompute of the last days equals a recompute of all.
/// </summary>
public sealed class AggregateStore(IServiceScopeFactory scopes, ValidityRules rules, TimeProvider clock, IAggregatesObserver? observer = null)
{
    /// <summary>
    /// A failed comparison makes a factor's data suspect from the last comparison of that factor that
    /// passed (or from the beginning) to the failed one.
    /// </summary>
    private static async Task<List<SuspectSpan>> ComparisonSpansAsync(ZongliangDbContext db, int outletId, CancellationToken ct)
    {
        var done = await db.ComparisonTasks.AsNoTracking().Include(t => t.Results)
            .Where(t => t.OutletId == outletId && t.State != ComparisonState.Open && t.EvaluatedAtUtc != null)
            .ToListAsync(ct);
        done = done.OrderBy(t => t.EvaluatedAtUtc).ToList();
        var spans = new List<SuspectSpan>();
        foreach (var failed in done.Where(t => t.State == ComparisonState.Failed))
            foreach (var result in failed.Results.Where(r => !r.Passed))
            {
                var lastPassed = done.Where(t => t.EvaluatedAtUtc < failed.EvaluatedAtUtc && t.Results.Any(r => r.FactorCode == result.FactorCode && r.Passed))
                    .Select(t => t.EvaluatedAtUtc).LastOrDefault() ?? DateTime.MinValue;
                spans.Add(new SuspectSpan(result.FactorCode, lastPassed, failed.EvaluatedAtUtc!.Value, SuspectReason.ComparisonFailed));
            }
        return spans;
    }

    /// <summary>
    /// Most days evaluated at once: memory holds one such piece of an outlet's minute data, however long
    /// the range (a logger with a reset clock once made one recompute of 26 years, over 10 GB).
    /// </summary>
    public const int ChunkDays = 31;

    /// <summary>
    /// Recomputes from the start of Beijing day <paramref name="fromDay"/> to the last complete hour;
    /// returns the hours written. Evaluates <see cref="ChunkDays"/> at a time and writes each day in a
    /// transaction of its own, so that the ingest writer (SQLite has one writer at a time) never waits
    /// for more than a day's rows of one outlet. Each piece takes its look-back from the hours stored
    /// before it, so the pieces give what one evaluation of the whole range would.
    /// <paramref name="beforePiece"/> runs before each piece (the recompute queue renews its claim there; it may throw to stop).
    /// Callers other than tests and the command line go through <see cref="RecomputeQueue"/>, so that no outlet is recomputed twice at once.
    /// </summary>
    public async Task<int> RecomputeAsync(int outletId, DateOnly fromDay, CancellationToken ct, Func<CancellationToken, Task>? beforePiece = null)
    {
        DateTime from, to;
        await using (var scope = scopes.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<ScopeAccessor>().Scope = AccessScope.System("aggregation");
            var db = scope.ServiceProvider.GetRequiredService<ZongliangDbContext>();
            if (!await db.Outlets.AnyAsync(o => o.Id == outletId, ct))
                return 0;
            var minute = ReadingKind.Minute;
            var first = await db.Readings.Where(r => r.OutletId == outletId && r.Kind == minute).MinAsync(r => (DateTime?)r.TimeUtc, ct);
            if (first is null)
                return 0;
            // Hours before an outlet's first data are not missing: the outlet was not reporting yet.
            from = BeijingTime.DayStartUtc(fromDay);
            var firstHour = ValidityEngine.TruncateHour(DateTime.SpecifyKind(first.Value, DateTimeKind.Utc));
            if (from < firstHour)
                from = firstHour;
            to = ValidityEngine.TruncateHour(clock.GetUtcNow().UtcDateTime);
            if (to <= from)
                return 0;
        }
        var written = 0;
        for (var start = from; start < to;)
        {
            var end = BeijingTime.DayStartUtc(BeijingTime.Date(start).AddDays(ChunkDays));
            if (end > to) end = to;
            if (beforePiece is not null) await beforePiece(ct);
            written += await RecomputeRangeAsync(outletId, start, end, to, ct);
            start = end;
        }
        if (observer is not null)
            await observer.RecomputedAsync(outletId, ct);
        return written;
    }

    /// <summary>
    /// One piece of <see cref="RecomputeAsync"/>: writes [<paramref name="from"/>, <paramref name="to"/>), <paramref name="to"/> a
    /// day start unless it is <paramref name="end"/>, the end of the whole range. The piece is evaluated a little
    /// beyond <paramref name="to"/>: a gap's substitution depends on its whole length (up to the short-gap
    /// hours, the mean of the hours on either side; longer, the look-back's largest), so a gap that runs over
    /// the piece's end is judged as the whole range would judge it.
    /// </summary>
    private async Task<int> RecomputeRangeAsync(int outletId, DateTime from, DateTime to, DateTime end, CancellationToken ct)
    {
        var last = to == end;
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ScopeAccessor>().Scope = AccessScope.System("aggregation");
        var db = scope.ServiceProvider.GetRequiredService<ZongliangDbContext>();

        var outlet = await db.Outlets.AsNoTracking().Include(o => o.Factors).FirstOrDefaultAsync(o => o.Id == outletId, ct);
        if (outlet is null)
            return 0;
        var profile = rules.For(outlet.Medium);
        var minute = ReadingKind.Minute;
        var evaluateTo = to + TimeSpan.FromHours(profile.Substitution.ShortGapHours.Value + 1);
        if (evaluateTo > end) evaluateTo = end;

        var context = ValidityEngine.ContextNeeded(profile);
        var rows = await db.Readings.AsNoTracking()
            .Where(r => r.OutletId == outletId && r.Kind == minute && r.TimeUtc >= from - context && r.TimeUtc < evaluateTo + context)
            .OrderBy(r => r.TimeUtc)
            .Select(r => new { r.FactorCode, r.TimeUtc, r.Value, r.Flag })
            .ToListAsync(ct);
        var codes = outlet.Factors.Select(f => f.FactorCode).Concat(rows.Select(r => r.FactorCode)).Distinct().ToList();
        var byFactor = rows.ToLookup(r => r.FactorCode);
        var series = codes.Select(code => new FactorSeries(code, byFactor[code]
            .Select(r => new MinuteValue(DateTime.SpecifyKind(r.TimeUtc, DateTimeKind.Utc), r.Value ?? double.NaN, r.Flag.Length > 0 ? r.Flag[0] : 'N'))
            .ToArray())).ToList();

        var catalog = await db.Factors.AsNoTracking().Where(f => codes.Contains(f.Code)).ToListAsync(ct);
        var massFactors = catalog.Where(f => !f.IsParameter && f.MassUnit.Length > 0).Select(f => f.Code).ToHashSet();
        var decisions = await db.AuditDecisions.AsNoTracking().Where(d => d.OutletId == outletId)
            .OrderBy(d => d.DecidedAtUtc).ThenBy(d => d.Id).ToListAsync(ct);

        var prior = new Dictionary<string, double[]>();
        var priorGap = new Dictionary<string, int>();
        foreach (var code in massFactors)
        {
            var measured = MassSource.Measured;
            var masses = await db.HourAggregates.AsNoTracking()
                .Where(h => h.OutletId == outletId && h.FactorCode == code && h.HourUtc < from && h.Mass == measured)
                .OrderByDescending(h => h.HourUtc).Take((int)profile.Substitution.LookbackValidHours.Value)
                .Select(h => h.MassKg ?? 0).ToListAsync(ct);
            masses.Reverse();
            prior[code] = [.. masses];
            var recent = await db.HourAggregates.AsNoTracking()
                .Where(h => h.OutletId == outletId && h.FactorCode == code && h.HourUtc < from)
                .OrderByDescending(h => h.HourUtc).Take((int)profile.Substitution.ShortGapHours.Value + 1)
                .Select(h => h.Mass).ToListAsync(ct);
            // The hours of a gap as stored were substituted already (or had nothing to be substituted from).
            priorGap[code] = recent.TakeWhile(m => m is MassSource.None or MassSource.Substituted).Count();
        }

        var result = OutletEvaluator.Evaluate(profile, series,
            new OutletContext(massFactors, (double?)outlet.ReferenceOxygen, decisions.Select(d => d.ToOverride()).ToList(), prior, priorGap,
                await ComparisonSpansAsync(db, outletId, ct),
                await db.OperationNotices.AsNoTracking().Where(n => n.OutletId == outletId && n.State == NoticeState.Accepted && n.ToUtc > from)
                    .Select(n => new NoticeSpan(n.FromUtc, n.ToUtc, n.Kind)).ToListAsync(ct)),
            from, evaluateTo);

        // One transaction per Beijing day. A range starting inside a day (an outlet's first data) rewrites
        // that whole day's row; the last piece also clears anything stored after it.
        var written = 0;
        for (var day = BeijingTime.Date(from); BeijingTime.DayStartUtc(day) < to; day = day.AddDays(1))
        {
            var dayStart = BeijingTime.DayStartUtc(day);
            var lo = dayStart < from ? from : dayStart;
            var hi = BeijingTime.DayStartUtc(day.AddDays(1));
            var final = last && hi >= to;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.HourAggregates.Where(h => h.OutletId == outletId && h.HourUtc >= lo && (final || h.HourUtc < hi)).ExecuteDeleteAsync(ct);
            await db.DayAggregates.Where(d => d.OutletId == outletId && d.Day >= day && (final || d.Day <= day)).ExecuteDeleteAsync(ct);
            foreach (var (code, hours) in result.Hours)
            {
                foreach (var h in hours)
                    if (h.HourUtc >= lo && h.HourUtc < hi)
                    {
                        db.HourAggregates.Add(HourAggregate.From(outletId, code, h));
                        written++;
                    }
                foreach (var d in result.Days[code])
                    if (d.Day == day)
                        db.DayAggregates.Add(DayAggregate.From(outletId, code, d));
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            db.ChangeTracker.Clear();
            // Between two days, the ingest writer (SQLite: the one writer) gets its turn: back to back,
            // thousands of day transactions kept it waiting seconds (p99 5.3 s against 15 ms).
            await Task.Delay(1, ct);
        }
        return written;
    }
}
