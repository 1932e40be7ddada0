using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Data.Monitoring;
using Zongliang.Domain.Access;
using Zongliang.Domain.Monitoring;
using Zongliang.Domain.Monitoring.Validity;
using Zongliang.Domain.Common;

namespace Zongliang.Web.Features.Monitoring;

/// <summary>
/// Wakes this instance's aggregation job when the listener stored new minute data. The requests
/// themselves are rows (<see cref="RecomputeQueue"/>), written with the data; other instances find
/// them on their next round (Validity:RecomputeSeconds).
/// </summary>
public sealed class AggregationQueue
{
    private readonly SemaphoreSlim _work = new(0, 1);

    public void Wake()
    {
        try
        {
            if (_work.CurrentCount == 0) _work.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another writer woke the job at the same moment.
        }
    }

    /// <summary>Waits until woken, or at most <paramref name="max"/>.</summary>
    public Task WaitForWorkAsync(TimeSpan max, CancellationToken ct) => _work.WaitAsync(max, ct);
}

/// <summary>
/// Keeps the hour and day aggregates up to date: recomputes the outlets with a request waiting (new
/// minute data) every few seconds, from the day before the earliest change (a run of repeated values
/// can cross midnight); once an hour it asks for every outlet with data from yesterday, so that the
/// hours of a silent device are judged missing and substituted. Each outlet is claimed first, so of
/// several instances on one database only one recomputes it at a time.
/// </summary>
public sealed class AggregationJob(AggregationQueue queue, RecomputeQueue requests, IServiceScopeFactory scopes, TimeProvider clock,
    IConfiguration config, ILogger<AggregationJob> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(Math.Max(1, config.GetValue("Validity:RecomputeSeconds", 10)));
        if (config.GetValue("Validity:CatchUpOnStart", true))
            await CatchUpAsync(stoppingToken);
        // New data wake the job (after a short pause, so a burst of packets is one recompute), at most once a
        // second; without new data it still runs every RecomputeSeconds for the hourly sweep.
        var pause = TimeSpan.FromMilliseconds(Math.Max(0, config.GetValue("Validity:WakeDelayMilliseconds", 200)));
        var minInterval = TimeSpan.FromMilliseconds(Math.Max(0, config.GetValue("Validity:MinIntervalMilliseconds", 1000)));
        var lastSweepHour = ValidityEngine.TruncateHour(clock.GetUtcNow().UtcDateTime);
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = clock.GetTimestamp();
            await queue.WaitForWorkAsync(every, stoppingToken);
            await Task.Delay(pause, stoppingToken);
            var rest = minInterval - clock.GetElapsedTime(started);
            if (rest > TimeSpan.Zero) await Task.Delay(rest, stoppingToken);
            var hour = ValidityEngine.TruncateHour(clock.GetUtcNow().UtcDateTime);
            if (hour != lastSweepHour)
            {
                lastSweepHour = hour;
                await SweepAsync(catchUp: false, stoppingToken);
            }
            await RunOnceAsync(stoppingToken);
        }
    }

    private readonly SemaphoreSlim _running = new(1, 1);

    /// <summary>Marks every outlet with minute data from the day after its last stored day (or its first data): what the job does on start.</summary>
    public Task CatchUpAsync(CancellationToken ct) => SweepAsync(catchUp: true, ct);

    /// <summary>Recomputes the outlets waiting now (as far as this instance can claim them); returns the outlets done. One run at a time: a second caller waits for the first.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await _running.WaitAsync(ct);
        try
        {
            return await RecomputeDirtyAsync(ct);
        }
        finally
        {
            _running.Release();
        }
    }

    /// <summary>Outlets claimed at once: another instance's round takes the rest.</summary>
    private const int ClaimBatch = 20;

    private async Task<int> RecomputeDirtyAsync(CancellationToken ct)
    {
        var done = 0;
        while (!ct.IsCancellationRequested)
        {
            var claimed = await requests.ClaimAsync(ClaimBatch, ct);
            if (claimed.Count == 0) break;
            foreach (var (outletId, day) in claimed)
            {
                try
                {
                    await requests.RecomputeClaimedAsync(outletId, day, ct);
                    done++;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    log.LogError(ex, "Recomputing the aggregates of outlet {Outlet} from {Day} failed; it is tried again in {Retry}", outletId, day, RecomputeQueue.RetryAfter);
                }
            }
        }
        return done;
    }

    /// <summary>
    /// On start, asks for every outlet with minute data from its last stored day (from its first data
    /// when nothing is stored: the recompute starts at the first reading anyway). Afterwards, every
    /// hour, asks for the outlets that already have stored days from yesterday: new outlets are asked
    /// for by their first packets, so the hourly sweep need not read the minute readings. Several
    /// instances asking for the same is harmless: a request keeps the earliest day.
    /// </summary>
    private async Task SweepAsync(bool catchUp, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ScopeAccessor>().Scope = AccessScope.System("aggregation");
        var db = scope.ServiceProvider.GetRequiredService<ZongliangDbContext>();
        var yesterday = BeijingTime.Date(clock.GetUtcNow().UtcDateTime).AddDays(-1);
        if (!catchUp)
        {
            var stale = await db.DayAggregates.Select(d => d.OutletId).Distinct().ToListAsync(ct);
            await requests.RequestAsync(stale.Select(id => (id, yesterday)).ToList(), ct);
            return;
        }
        var minute = ReadingKind.Minute;
        var outlets = await db.Readings.Where(r => r.Kind == minute).Select(r => r.OutletId).Distinct().ToListAsync(ct);
        var stored = await db.DayAggregates.GroupBy(d => d.OutletId).Select(g => new { OutletId = g.Key, Last = g.Max(d => d.Day) })
            .ToDictionaryAsync(x => x.OutletId, x => x.Last, ct);
        await requests.RequestAsync(outlets.Select(id => (id, stored.TryGetValue(id, out var last) ? last : FromTheStart)).ToList(), ct);
    }

    /// <summary>A day before any data: the recompute clamps it to the outlet's first reading.</summary>
    private static readonly DateOnly FromTheStart = new(2000, 1, 2);
}
