using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Zongliang.Domain.Access;

namespace Zongliang.Data;

/// <summary>
/// This process among the instances that share one database: it signs its claims and leases with
/// <see cref="Id"/>. One per service provider (two test hosts in one process are two instances).
/// </summary>
public sealed class InstanceName
{
    public string Id { get; } = $"{Environment.ProcessId}-{Guid.NewGuid():N}"[..24];
}

/// <summary>
/// A named job's lease: while <see cref="LeaseUntilUtc"/> is ahead, only <see cref="Holder"/> runs
/// the job. Taken and renewed by one conditional update, so of several instances one wins.
/// </summary>
public sealed class JobLease
{
    public string Name { get; set; } = "";
    public string Holder { get; set; } = "";
    public DateTime LeaseUntilUtc { get; set; }
}

/// <summary>
/// Leases of the jobs that must run on one instance at a time (the warning sweep, the comparison
/// schedule) and of work that must not run twice at once (the warning evaluation).
/// </summary>
public sealed class JobLeases(IServiceScopeFactory scopes, TimeProvider clock, InstanceName instance)
{
    /// <summary>
    /// Takes the lease of <paramref name="job"/> for <paramref name="hold"/>, or renews it when this
    /// instance holds it already; false when another instance holds it.
    /// </summary>
    public async Task<bool> TryHoldAsync(string job, TimeSpan hold, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ScopeAccessor>().Scope = AccessScope.System("jobs");
        var db = scope.ServiceProvider.GetRequiredService<ZongliangDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var until = now + hold;
        var me = instance.Id;
        if (await Take() == 1) return true;
        // The first time the job runs anywhere: its row, free, then the same conditional update.
        await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO "JobLeases" ("Name", "Holder", "LeaseUntilUtc") VALUES ({job}, '', {DateTime.UnixEpoch}) ON CONFLICT DO NOTHING""", ct);
        return await Take() == 1;

        Task<int> Take() => db.JobLeases.Where(l => l.Name == job && (l.Holder == me || l.LeaseUntilUtc < now))
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.Holder, me).SetProperty(l => l.LeaseUntilUtc, until), ct);
    }

    /// <summary>Gives the lease up (when this instance holds it), so that another may take it at once.</summary>
    public async Task ReleaseAsync(string job, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ScopeAccessor>().Scope = AccessScope.System("jobs");
        var db = scope.ServiceProvider.GetRequiredService<ZongliangDbContext>();
        var me = instance.Id;
        await db.JobLeases.Where(l => l.Name == job && l.Holder == me)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.LeaseUntilUtc, DateTime.UnixEpoch), ct);
    }

    /// <summary>Gives the lease up on the way out; a database that is gone by then only leaves it to expire.</summary>
    public async Task ReleaseQuietlyAsync(string job, ILogger log)
    {
        try
        {
            await ReleaseAsync(job, CancellationToken.None);
        }
        catch (ObjectDisposedException)
        {
            // The host is already being taken down: the lease expires by itself.
        }
        catch (Exception ex)
        {
            log.LogWarning("Giving up the lease of {Job} failed ({Error}); it expires by itself", job, ex.Message);
        }
    }

    /// <summary>The wait before the n-th look at something another instance holds (from 0): 50 ms, doubling, at most a second.</summary>
    internal static TimeSpan PollDelay(int attempt) => TimeSpan.FromMilliseconds(Math.Min(1000, 50 << Math.Min(attempt, 5)));

    /// <summary>
    /// Runs <paramref name="work"/> while holding <paramref name="job"/>'s lease, waiting (polling) for
    /// another instance to give it up; the lease is released afterwards. Work that outlasts
    /// <paramref name="hold"/> loses its exclusivity: give it a hold well beyond its longest run.
    /// </summary>
    public async Task<T> ExclusiveAsync<T>(string job, TimeSpan hold, Func<Task<T>> work, CancellationToken ct)
    {
        var waited = 0;
        while (!await TryHoldAsync(job, hold, ct))
        {
            // Quickly at first, then less often: a sweep takes seconds.
            await Task.Delay(PollDelay(waited++), clock, ct);
        }
        try
        {
            return await work();
        }
        finally
        {
            await ReleaseAsync(job, CancellationToken.None);
        }
    }
}
