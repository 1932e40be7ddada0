using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Zongliang.Domain.Access;

namespace Zongliang.Data.Monitoring;

/// <summary>
/// An outlet whose data changed from <see cref="FromDay"/> (a Beijing day): its hours and days must be recomputed, written
/// in the transaction that stored its new minute data, so that no request is lost with a process.
/// While an instance recomputes it, <see cref="ClaimedBy"/> holds it until <see cref="ClaimedUntilUtc"/>
/// (renewed as the work goes on), <see cref="ClaimedFromDay"/> is the range being done, and
/// <see cref="FromDay"/> is empty again, to collect what arrives meanwhile.
/// </summary>
public sealed class RecomputeRequest
{
    public int OutletId { get; set; }
    public DateOnly? FromDay { get; set; }
    public DateOnly? ClaimedFromDay { get; set; }
    public string? ClaimedBy { get; set; }
    public DateTime? ClaimedUntilUtc { get; set; }
}

/// <summary>
/// The durable queue of outlets to recompute, shared by every instance on the database. An instance
/// claims an outlet with one conditional update (only one can win it), recomputes it while renewing
/// the claim, then deletes the request, or leaves it for the next round if more data came meanwhile.
/// A claim whose holder died expires after <see cref="ClaimFor"/> and is taken over with its range.
/// </summary>
public sealed class RecomputeQueue(IServiceScopeFactory scopes, AggregateStore store, TimeProvider clock, InstanceName instance)
{
    /// <summary>How long a claim holds without renewal; it is renewed before each piece of the recompute.</summary>
    public static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(5);

    /// <summary>After a failed recompute the outlet rests this long, then any instance tries it again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>Recomputes as activities of this source (tag <c>outlet</c>), for tracing: one per outlet and claim.</summary>
    public static readonly ActivitySource Activities = new(ActivitySourceName);

    public const string ActivitySourceName = "Zongliang.Recompute";

    /// <summary>
    /// The tail of an insert of (OutletId, FromDay) rows: a request already waiting keeps the earlier day.
    /// The same SQL on SQLite and PostgreSQL; a request that changes nothing writes nothing.
    /// </summary>
    public const string UpsertTail = """
        ON CONFLICT ("OutletId") DO UPDATE SET "FromDay" = excluded."FromDay"
        WHERE "RecomputeRequests"."FromDay" IS NULL OR excluded."FromDay" < "RecomputeRequests"."FromDay"
        """;

    /// <summary>Asks for the outlets to be recomputed from the given days, in one transaction.</summary>
    public async Task RequestAsync(IReadOnlyCollection<(int OutletId, DateOnly FromDay)> requests, CancellationToken ct)
    {
        if (requests.Count == 0) return;
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ScopeAccessor>().Scope = AccessScope.System("aggregation");
        var db = scope.ServiceProvider.GetRequiredService<ZongliangDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // In outlet order: two instances asking for the same outlets lock them in the same order.
        foreach (var (outletId, day) in requests.GroupBy(r => r.OutletId).Select(g => (g.Key, g.Min(r => r.FromDay))).OrderBy(r => r.Key))
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO \"RecomputeRequests\" (\"OutletId\", \"FromDay\") VALUES ({0}, {1}) " + UpsertTail, [outletId, day], ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Requests waiting, claimed or not (for the status page and tests).</summary>
    public async Task<int> PendingAsync(CancellationToken ct) =>
        await WithDbAsync(db => db.RecomputeRequests.CountAsync(ct));

    /// <summary>
    /// Claims up to <paramref name="max"/> outlets that wait and that no live claim holds; returns each
    /// with the day to recompute from.
    /// </summary>
    public Task<List<(int OutletId, DateOnly FromDay)>> ClaimAsync(int max, CancellationToken ct) => WithDbAsync(async db =>
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var free = await db.RecomputeRequests.AsNoTracking()
            .Where(r => (r.ClaimedUntilUtc == null && r.FromDay != null) || r.ClaimedUntilUtc < now)
            .OrderBy(r => r.OutletId).Take(max).ToListAsync(ct);
        var claimed = new List<(int, DateOnly)>();
        foreach (var seen in free)
            if (await TryClaimAsync(db, seen, now, ct) is { } from)
                claimed.Add((seen.OutletId, from));
        return claimed;
    });

    /// <summary>
    /// The claim of one request as it was read: the update matches only that version of the row, so of
    /// two instances that read it, one wins. A claim that had expired hands its range on.
    /// </summary>
    private async Task<DateOnly?> TryClaimAsync(ZongliangDbContext db, RecomputeRequest seen, DateTime now, CancellationToken ct)
    {
        var expired = seen.ClaimedUntilUtc is not null ? seen.ClaimedFromDay : null;
        DateOnly? from = (seen.FromDay, expired) switch
        {
            ({ } a, { } b) => a < b ? a : b,
            ({ } a, null) => a,
            (null, { } b) => b,
            _ => null,
        };
        var me = instance.Id;
        var until = now + ClaimFor;
        var won = await db.RecomputeRequests
            .Where(r => r.OutletId == seen.OutletId && r.FromDay == seen.FromDay && r.ClaimedUntilUtc == seen.ClaimedUntilUtc && r.ClaimedBy == seen.ClaimedBy)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.ClaimedBy, me).SetProperty(r => r.ClaimedUntilUtc, until)
                .SetProperty(r => r.ClaimedFromDay, from).SetProperty(r => r.FromDay, (DateOnly?)null), ct);
        if (won == 1 && from is null)
        {
            // An expired claim with nothing to do: the row goes.
            await CompleteAsync(db, seen.OutletId, ct);
            return null;
        }
        return won == 1 ? from : null;
    }

    /// <summary>
    /// Recomputes a claimed outlet from the day before <paramref name="changedDay"/> (a run of repeated
    /// values can cross midnight), renewing the claim before each piece; then completes the claim, or,
    /// when the recompute failed, leaves it to expire after <see cref="RetryAfter"/>. Returns the hours written.
    /// </summary>
    public async Task<int> RecomputeClaimedAsync(int outletId, DateOnly changedDay, CancellationToken ct)
    {
        var fromDay = changedDay > DateOnly.MinValue.AddDays(1) ? changedDay.AddDays(-1) : changedDay;
        using var activity = Activities.StartActivity("recompute");
        activity?.SetTag("outlet", outletId);
        activity?.SetTag("instance", instance.Id);
        try
        {
            var hours = await store.RecomputeAsync(outletId, fromDay, ct, beforePiece: async c =>
            {
                if (!await WithDbAsync(db => RenewAsync(db, outletId, c)))
                    throw new InvalidOperationException($"the claim of outlet {outletId} was lost (it expired and another instance took it)");
            });
            await WithDbAsync(db => CompleteAsync(db, outletId, ct));
            return hours;
        }
        catch
        {
            var retry = clock.GetUtcNow().UtcDateTime + RetryAfter;
            var me = instance.Id;
            await WithDbAsync(db => db.RecomputeRequests.Where(r => r.OutletId == outletId && r.ClaimedBy == me)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.ClaimedUntilUtc, retry), CancellationToken.None));
            throw;
        }
    }

    /// <summary>
    /// Recomputes one outlet now, as if its data changed from <paramref name="fromDay"/> (a page that
    /// changed its data, the command line): asks for it, then claims and recomputes it, waiting while another instance holds it. Returns when the range is done
    /// (here or by the instance that took the request); the hours written here.
    /// </summary>
    public async Task<int> RecomputeNowAsync(int outletId, DateOnly fromDay, CancellationToken ct)
    {
        await RequestAsync([(outletId, fromDay)], ct);
        var waited = 0;
        while (true)
        {
            var row = await WithDbAsync(db => db.RecomputeRequests.AsNoTracking().SingleOrDefaultAsync(r => r.OutletId == outletId, ct));
            // Gone: another instance claimed the request and finished it.
            if (row is null) return 0;
            var now = clock.GetUtcNow().UtcDateTime;
            if ((row.ClaimedUntilUtc is null || row.ClaimedUntilUtc < now) && await WithDbAsync(db => TryClaimAsync(db, row, now, ct)) is { } from)
                return await RecomputeClaimedAsync(outletId, from, ct);
            await Task.Delay(JobLeases.PollDelay(waited++), clock, ct);
        }
    }

    private async Task<bool> RenewAsync(ZongliangDbContext db, int outletId, CancellationToken ct)
    {
        var me = instance.Id;
        var until = clock.GetUtcNow().UtcDateTime + ClaimFor;
        return await db.RecomputeRequests.Where(r => r.OutletId == outletId && r.ClaimedBy == me)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.ClaimedUntilUtc, until), ct) == 1;
    }

    /// <summary>Deletes the request when nothing came meanwhile; else frees it for the next round with what came.</summary>
    private async Task<int> CompleteAsync(ZongliangDbContext db, int outletId, CancellationToken ct)
    {
        var me = instance.Id;
        if (await db.RecomputeRequests.Where(r => r.OutletId == outletId && r.ClaimedBy == me && r.FromDay == null).ExecuteDeleteAsync(ct) == 1)
            return 1;
        return await db.RecomputeRequests.Where(r => r.OutletId == outletId && r.ClaimedBy == me)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.ClaimedBy, (string?)null).SetProperty(r => r.ClaimedUntilUtc, (DateTime?)null)
                .SetProperty(r => r.ClaimedFromDay, (DateOnly?)null), ct);
    }

    private async Task<T> WithDbAsync<T>(Func<ZongliangDbContext, Task<T>> work)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ScopeAccessor>().Scope = AccessScope.System("aggregation");
        return await work(scope.ServiceProvider.GetRequiredService<ZongliangDbContext>());
    }
}
