using Zongliang.Domain.Monitoring;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Zongliang.Data.Monitoring;
using Zongliang.Domain.Common;

namespace Zongliang.Web.Features.Ingestion;

/// <summary>A frame waiting to be stored, and the promise its connection waits on before it acknowledges.</summary>
public sealed class IngestItem(IngestRecord record)
{
    public IngestRecord Record { get; } = record;
    public TaskCompletionSource<IngestOutcome> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// The bounded queue between the sockets and the database. When it is full, <see cref="EnqueueAsync"/>
/// waits, so reading from sockets slows down instead of memory growing or frames being dropped.
/// </summary>
public sealed class IngestQueue(IOptions<Hj212Options> options)
{
    private readonly Channel<IngestItem> _channel = Channel.CreateBounded<IngestItem>(new BoundedChannelOptions(options.Value.QueueCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    public ChannelReader<IngestItem> Reader => _channel.Reader;

    public async Task<IngestOutcome> StoreAsync(IngestRecord record, CancellationToken ct)
    {
        var item = new IngestItem(record);
        await _channel.Writer.WriteAsync(item, ct);
        return await item.Stored.Task.WaitAsync(ct);
    }

    public void Complete() => _channel.Writer.TryComplete();
}

/// <summary>
/// Drains the queue in batches, one transaction each; completes each frame's promise only after the
/// commit, or fails it (the frame is then not acknowledged, and the logger sends it again).
/// </summary>
public sealed class IngestWriter(IngestQueue queue, IngestStore store, Monitoring.AggregationQueue aggregation, IOptions<Hj212Options> options, ILogger<IngestWriter> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = queue.Reader;
        var batch = new List<IngestItem>(options.Value.BatchSize);
        var period = Stopwatch.StartNew();
        var busy = TimeSpan.Zero;
        long frames = 0, batches = 0;
        while (await reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < options.Value.BatchSize && reader.TryRead(out var item)) batch.Add(item);
            try
            {
                var started = Stopwatch.GetTimestamp();
                var outcomes = await store.WriteAsync(batch.Select(i => i.Record).ToList(), stoppingToken);
                busy += Stopwatch.GetElapsedTime(started);
                frames += batch.Count;
                batches++;
                if (period.Elapsed > TimeSpan.FromSeconds(30))
                {
                    log.LogInformation("Stored {Frames} frames in {Batches} batches in {Seconds:F0} s; the store was busy {Busy:P0} of the time",
                        frames, batches, period.Elapsed.TotalSeconds, busy / period.Elapsed);
                    (frames, batches, busy) = (0, 0, TimeSpan.Zero);
                    period.Restart();
                }
                for (var i = 0; i < batch.Count; i++) batch[i].Stored.TrySetResult(outcomes[i]);
                foreach (var item in batch)
                    if (item.Record is { Cn: (short)ReadingKind.Minute, DataTimeUtc: { } at, Readings.Count: > 0 })
                        aggregation.MarkDirty(item.Record.OutletId, BeijingTime.Date(at));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                log.LogError(ex, "Storing a batch of {Count} frames failed; they are not acknowledged", batch.Count);
                store.Reset();
                foreach (var item in batch) item.Stored.TrySetException(ex);
                await Task.Delay(TimeSpan.FromMilliseconds(200), stoppingToken);
            }
            batch.Clear();
        }
    }
}
