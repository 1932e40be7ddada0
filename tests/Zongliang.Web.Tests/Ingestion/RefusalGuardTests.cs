using Xunit;
using Zongliang.Web.Features.Ingestion;

namespace Zongliang.Web.Tests.Ingestion;

public sealed class RefusalGuardTests
{
    [Fact]
    public void AFloodOfRefusalsWritesTheFirstFewLinesAndCountsTheRest()
    {
        // One connection once wrote 230,000 warning lines a second.
        var guard = new RefusalGuard(new Hj212Options { RefusalsLogged = 5, RefusalLogInterval = TimeSpan.FromHours(1), MaxRefusedRun = 1_000_000 });
        var logged = Enumerable.Range(0, 100_000).Count(_ => guard.Refused());
        Assert.Equal(5, logged);
        Assert.Equal(0, guard.TakeUnlogged());
        Assert.Equal(99_995, guard.TakeUnlogged(now: true));
        Assert.Equal(100_000, guard.Run);
    }

    [Fact]
    public void AGoodFrameStartsTheRunAgain()
    {
        var guard = new RefusalGuard(new Hj212Options { MaxRefusedRun = 3, MaxGarbageBytes = 4096 });
        guard.Refused();
        guard.Refused();
        guard.Skipped(4000);
        Assert.False(guard.Exhausted);
        guard.Accepted();
        guard.Refused();
        guard.Refused();
        guard.Skipped(4000);
        Assert.False(guard.Exhausted);
        guard.Refused();
        Assert.True(guard.Exhausted);
        guard.Accepted();
        guard.Skipped(4096);
        Assert.True(guard.Exhausted);
    }
}
