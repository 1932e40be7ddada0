using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Zongliang.Data;
using Zongliang.Data.Monitoring;
using Zongliang.Web.Tests.Infrastructure;

namespace Zongliang.Web.Tests.Monitoring;

/// <summary>
/// The durable recompute queue as several instances on one database use it (issue 16, point 14: "the
/// aggregation … jobs claim their work … so that … no outlet is recomputed twice at once"). Two
/// queues with instance names of their own are two instances. The outlets are ids no outlet has: the
/// recompute of such an outlet does nothing, and completes its claim.
/// </summary>
public abstract class RecomputeQueueTests<TFactory> : IClassFixture<TFactory> where TFactory : ZongliangFactory
{
    private readonly TFactory _factory;

    protected RecomputeQueueTests(TFactory factory)
    {
        _factory = factory;
        // The host's own job would take the requests these tests look at.
        factory.Settings["Validity:RecomputeSeconds"] = "3600";
    }

    protected virtual void RequireDatabase() { }

    private (RecomputeQueue A, RecomputeQueue B) TwoInstances()
    {
        RequireDatabase();
        var services = _factory.Services;
        RecomputeQueue Queue() => new(services.GetRequiredService<IServiceScopeFactory>(), services.GetRequiredService<AggregateStore>(), TimeProvider.System, new InstanceName());
        return (Queue(), Queue());
    }

    private Task<RecomputeRequest?> RowAsync(int outletId) =>
        _factory.QueryAsync(db => db.RecomputeRequests.AsNoTracking().SingleOrDefaultAsync(r => r.OutletId == outletId));

    private static readonly DateOnly Day = new(2026, 11, 10);
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task AnOutletClaimedByOneInstanceIsNotGivenToAnotherAndWhatCameMeanwhileWaitsForTheNextRound()
    {
        var (a, b) = TwoInstances();
        const int outlet = 2_100_001;
        await a.RequestAsync([(outlet, Day)], Ct);

        Assert.Contains((outlet, Day), await a.ClaimAsync(100, Ct));
        Assert.DoesNotContain(await b.ClaimAsync(100, Ct), c => c.OutletId == outlet);
        // New data while A works: collected, but not B's to take while A's claim lives.
        await b.RequestAsync([(outlet, Day.AddDays(1))], Ct);
        Assert.DoesNotContain(await b.ClaimAsync(100, Ct), c => c.OutletId == outlet);

        await a.RecomputeClaimedAsync(outlet, Day, Ct);
        var left = await RowAsync(outlet);
        Assert.Equal((Day.AddDays(1), (string?)null), (left?.FromDay, left?.ClaimedBy));
        Assert.Contains((outlet, Day.AddDays(1)), await b.ClaimAsync(100, Ct));
        await b.RecomputeClaimedAsync(outlet, Day.AddDays(1), Ct);
        Assert.Null(await RowAsync(outlet));
    }

    [Fact]
    public async Task AClaimWhoseHolderDiedIsTakenOverWithTheRangeItWasDoing()
    {
        var (a, b) = TwoInstances();
        const int outlet = 2_100_101;
        await a.RequestAsync([(outlet, Day)], Ct);
        Assert.Contains((outlet, Day), await a.ClaimAsync(100, Ct));
        // A dies; its claim runs out. Later data ask for a later day only.
        await _factory.QueryAsync(db => db.RecomputeRequests.Where(r => r.OutletId == outlet)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.ClaimedUntilUtc, DateTime.UtcNow.AddMinutes(-1))));
        await b.RequestAsync([(outlet, Day.AddDays(5))], Ct);

        Assert.Contains((outlet, Day), await b.ClaimAsync(100, Ct));
    }

    [Fact]
    public async Task TwoInstancesClaimingAtOnceNeverShareAnOutletAndLeaveNoneBehind()
    {
        var (a, b) = TwoInstances();
        var outlets = Enumerable.Range(2_100_200, 60).ToList();
        await a.RequestAsync(outlets.Select(o => (o, Day)).ToList(), Ct);

        var (byA, byB) = (new List<int>(), new List<int>());
        for (var round = 0; round < 10 && byA.Count + byB.Count < outlets.Count; round++)
        {
            var claims = await Task.WhenAll(a.ClaimAsync(7, Ct), b.ClaimAsync(7, Ct));
            byA.AddRange(claims[0].Select(c => c.OutletId).Where(outlets.Contains));
            byB.AddRange(claims[1].Select(c => c.OutletId).Where(outlets.Contains));
        }

        Assert.Empty(byA.Intersect(byB));
        Assert.Equal(outlets, byA.Concat(byB).Order().ToList());
    }

    [Fact]
    public async Task ARecomputeNowWaitsForTheInstanceThatHoldsTheOutlet()
    {
        var (a, b) = TwoInstances();
        const int outlet = 2_100_301;
        await a.RequestAsync([(outlet, Day)], Ct);
        Assert.Contains((outlet, Day), await a.ClaimAsync(100, Ct));

        var now = b.RecomputeNowAsync(outlet, Day, Ct);
        await Task.Delay(300, Ct);
        Assert.False(now.IsCompleted);
        await a.RecomputeClaimedAsync(outlet, Day, Ct);
        await now.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Null(await RowAsync(outlet));
    }
}

public sealed class RecomputeQueueTestsOnSqlite(SqliteFactory factory) : RecomputeQueueTests<SqliteFactory>(factory);

public sealed class RecomputeQueueTestsOnPostgreSql(PostgreSqlFactory factory) : RecomputeQueueTests<PostgreSqlFactory>(factory)
{
    protected override void RequireDatabase() => PostgreSqlFactory.SkipUnlessAvailable();
}
