using Zongliang.Domain.Monitoring;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Zongliang.Data;
using Zongliang.Data.Monitoring;
using Zongliang.Domain.Common;

namespace Zongliang.Web.Features.Ingestion;

/// <summary>A frame waiting to be stored, and the promise its connection waits on before it acknowledges.</summary>
public sealed class IngestItem(IngestRecord record, long arrived = 0)
{
    public IngestRecord Record { get; } = record;
    /// <summary>When the frame arrived (a <see cref="Stopwatch"/> timestamp), for <see cref="IngestMetrics"/>.</summary>
    public long Arrived { get; } = arrived != 0 ? arrived : Stopwatch.GetTimestamp();
    public TaskCompletionSource<IngestOutcome> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// The bounded queue between the sockets and the database, one lane per writer; a device's frames
/// always take the same lane. When a lane is full, <see cref="StoreAsync"/> waits, so reading from
/// sockets slows down instead of memory growing or frames being dropped.
/// </summary>
public sealed class IngestQueue
{
    private readonly Channel<IngestItem>[] _lanes;

    public IngestQueue(IOptions<Hj212Options> options, DatabaseSettings database)
    {
        // SQLite has one writer at a time, whatever is configured.
        var writers = database.Provider == DatabaseProvider.Sqlite ? 1 : options.Value.Writers > 0 ? options.Value.Writers : 2;
        _lanes = [.. Enumerable.Range(0, writers).Select(_ => Channel.CreateBounded<IngestItem>(
            new BoundedChannelOptions(Math.Max(1, options.Value.QueueCapacity / writers)) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true }))];
    }

    public int Lanes => _lanes.Length;

    public ChannelReader<IngestItem> Reader(int lane) => _lanes[lane].Reader;

    /// <summary>The lane (writer) of a device's frames.</summary>
    public int LaneOf(int deviceId) => (int)((uint)deviceId % (uint)_lanes.Length);

    /// <summary>Frames waiting in a lane.</summary>
    public int Waiting(int lane) => _lanes[lane].Reader.Count;

    /// <summary>Stores a frame that arrived at <paramref name="arrived"/> (a <see cref="Stopwatch"/> timestamp; 0: now) and completes once it is durable.</summary>
    public async Task<IngestOutcome> StoreAsync(IngestRecord record, CancellationToken ct, long arrived = 0)
    {
        var item = new IngestItem(record, arrived);
        await _lanes[LaneOf(record.DeviceId)].Writer.WriteAsync(item, ct);
        return await item.Stored.Task.WaitAsync(ct);
    }

    public void Complete()
    {
        foreach (var lane in _lanes) lane.Writer.TryComplete();
    }
}

/// <summary>
/// Drains the queue in batches, one transaction each; completes each frame's promise only after the
/// commit, or fails it (the frame is then not acknowledged, and the logger sends it again). A batch
/// the database refuses is split and its halves are tried on their own, so that one frame that cannot
/// be stored does not keep the frames batched with it from being acknowledged.
/// </summary>
public sealed class IngestWriter(IngestQueue queue, IngestStore store, Monitoring.AggregationQueue aggregation, ReadingsFeed feed, IOptions<Hj212Options> options,
    ILogger<IngestWriter> log, IngestMetrics? metrics = null) : BackgroundService
{
    /// <summary>Transactions a refused batch may use to find the frames at fault (one bad frame among 10,000 takes 28).</summary>
    internal const int IsolationAttempts = 32;

    /// <summary>Batches written since the start, by all lanes (for tests).</summary>
    internal long Batches => Interlocked.Read(ref _batches);
    private long _batches;

    // The writer has its own thread and talks to the database synchronously: under load the thread
    // pool is full of socket work, and every await of the writer would wait its turn behind it.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, queue.Lanes).Select(lane =>
            Task.Factory.StartNew(() => Run(lane, stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default)));

    private void Run(int lane, CancellationToken stoppingToken)
    {
        var reader = queue.Reader(lane);
        Func<int, bool> owned = device => queue.LaneOf(device) == lane;
        var batch = new List<IngestItem>(options.Value.BatchSize);
        var period = Stopwatch.StartNew();
        var busy = TimeSpan.Zero;
        long frames = 0, batches = 0, begun = 0;
        while (WaitToRead(reader, owned, stoppingToken))
        {
            var pause = options.Value.BatchInterval - Stopwatch.GetElapsedTime(begun);
            if (pause > TimeSpan.Zero && queue.Waiting(lane) < options.Value.BatchSize) stoppingToken.WaitHandle.WaitOne(pause);
            begun = Stopwatch.GetTimestamp();
            while (batch.Count < options.Value.BatchSize && reader.TryRead(out var item)) batch.Add(item);
            var started = Stopwatch.GetTimestamp();
            metrics?.BatchBegan(batch, started);
            var failed = Store(store, batch, aggregation, log, owned, feed, metrics);
            busy += Stopwatch.GetElapsedTime(started);
            frames += batch.Count;
            batches++;
            Interlocked.Increment(ref _batches);
            if (period.Elapsed > TimeSpan.FromSeconds(30))
            {
                log.LogInformation("Stored {Frames} frames in {Batches} batches in {Seconds:F0} s; the store was busy {Busy:P0} of the time",
                    frames, batches, period.Elapsed.TotalSeconds, busy / period.Elapsed);
                (frames, batches, busy) = (0, 0, TimeSpan.Zero);
                period.Restart();
            }
            // A database that refused the whole batch is given a moment before the next one.
            var refusedAll = failed > 0 && failed == batch.Count;
            batch.Clear();
            if (refusedAll) stoppingToken.WaitHandle.WaitOne(200);
        }
    }

    /// <summary>Waits for frames; meanwhile, writes the status rows of the last frames stored (see <see cref="IngestStore.StatusInterval"/>).</summary>
    private bool WaitToRead(ChannelReader<IngestItem> reader, Func<int, bool> owned, CancellationToken ct)
    {
        try
        {
            var wait = reader.WaitToReadAsync(ct);
            if (wait.IsCompletedSuccessfully) return wait.Result;
            var task = wait.AsTask();
            while (!task.Wait(IngestStore.StatusInterval, CancellationToken.None))
                if (store.HasUnwrittenStatus(owned))
                    try
                    {
                        store.Write([], owned);
                    }
                    catch (Exception ex)
                    {
                        log.LogWarning("Writing the devices' status failed ({Error}); it is tried again", ex.Message);
                    }
            return task.Result;
        }
        catch (Exception ex) when (ct.IsCancellationRequested && ex is OperationCanceledException or AggregateException)
        {
            return false;
        }
    }

    /// <summary>
    /// Stores the items and completes or fails each one's promise. Returns how many were not stored.
    /// A refused batch is halved and each half tried again, down to single frames, within
    /// <see cref="IsolationAttempts"/> transactions; a slow refusal (a locked or unreachable database,
    /// not a bad frame) fails the batch at once.
    /// </summary>
    internal static int Store(IngestStore store, IReadOnlyList<IngestItem> items, Monitoring.AggregationQueue? aggregation, ILogger log, Func<int, bool>? owned = null,
        ReadingsFeed? feed = null, IngestMetrics? metrics = null)
    {
        var attempts = IsolationAttempts;
        return Attempt(items);

        int Attempt(IReadOnlyList<IngestItem> part)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                attempts--;
                var outcomes = store.Write(part.Select(i => i.Record).ToList(), owned);
                metrics?.BatchStored(part.Count, started);
                for (var i = 0; i < part.Count; i++) part[i].Stored.TrySetResult(outcomes[i]);
                if (feed is not null)
                    for (var i = 0; i < part.Count; i++)
                        if (outcomes[i].Readings > 0) feed.Stored(part[i].Record.OutletId);
                // The recompute requests were written with the data (IngestStore); the job is told at once.
                if (part.Any(i => i.Record.AsksForRecompute))
                    aggregation?.Wake();
                return 0;
            }
            catch (Exception ex)
            {
                // After a failed transaction the database, not the cached chain heads, is the truth.
                store.Reset();
                var slow = Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(2);
                if (part.Count == 1 || attempts <= 0 || slow)
                {
                    if (part.Count == 1)
                        log.LogError(ex, "A frame from device {Device} (CN {Cn}) could not be stored; it is not acknowledged", part[0].Record.DeviceId, part[0].Record.Cn);
                    else
                        log.LogError(ex, "Storing a batch of {Count} frames failed; they are not acknowledged", part.Count);
                    foreach (var item in part) item.Stored.TrySetException(ex);
                    return part.Count;
                }
                log.LogWarning("Storing a batch of {Count} frames failed ({Error}); its halves are tried on their own", part.Count, ex.Message);
                var half = part.Count / 2;
                var failed = Attempt(part.Take(half).ToList());
                return failed + Attempt(part.Skip(half).ToList());
            }
        }
    }
}
