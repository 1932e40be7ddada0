using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Zongliang.Web.Features.Ingestion;

/// <summary>
/// The listener's timings, as a meter ("Zongliang.Ingestion") that `dotnet-counters` or an
/// OpenTelemetry exporter can read while the platform runs: where a frame's time goes between its
/// arrival and its answer. The server's own share of the ack latency a logger sees; the rest is the
/// network and the logger.
/// </summary>
public sealed class IngestMetrics
{
    public const string MeterName = "Zongliang.Ingestion";

    private readonly Histogram<double> _queued;
    private readonly Histogram<double> _transaction;
    private readonly Histogram<int> _batchFrames;
    private readonly Histogram<double> _answered;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _withheld;
    private readonly Counter<long> _closed;

    public IngestMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _queued = meter.CreateHistogram<double>("zongliang.ingest.queued", "ms",
            "Time from a frame's arrival to the start of the transaction that stores it");
        _transaction = meter.CreateHistogram<double>("zongliang.ingest.transaction", "ms",
            "Time a batch's transaction takes, to its commit");
        _batchFrames = meter.CreateHistogram<int>("zongliang.ingest.batch_frames", "{frame}",
            "Frames stored by one transaction");
        _answered = meter.CreateHistogram<double>("zongliang.hj212.answered", "ms",
            "Time from a frame's arrival to its answer (9014 and the like) being handed to the connection, after the frame is durable");
        _refused = meter.CreateCounter<long>("zongliang.hj212.refused", "{frame}",
            "Frames not stored: rejected as malformed, or from a device that failed authentication");
        _withheld = meter.CreateCounter<long>("zongliang.hj212.withheld", "{packet}",
            "Packets archived and answered whose values were kept out of the readings (reason: datatime_future, datatime_too_old, datatime_before_registration, datatime_missing, not_a_number)");
        _closed = meter.CreateCounter<long>("zongliang.hj212.closed", "{connection}",
            "Connections closed by the listener after a run of refused frames or garbage (reason: refused, garbage)");
    }

    /// <summary>A batch's transaction began at <paramref name="began"/> (a <see cref="Stopwatch"/> timestamp) for these frames.</summary>
    public void BatchBegan(IReadOnlyList<IngestItem> batch, long began)
    {
        if (!_queued.Enabled) return;
        foreach (var item in batch) _queued.Record(Stopwatch.GetElapsedTime(item.Arrived, began).TotalMilliseconds);
    }

    public void BatchStored(int frames, long began)
    {
        _transaction.Record(Stopwatch.GetElapsedTime(began).TotalMilliseconds);
        _batchFrames.Record(frames);
    }

    public void Answered(long arrived) => _answered.Record(Stopwatch.GetElapsedTime(arrived).TotalMilliseconds);

    public void Refused(string reason) => _refused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Withheld(string reason) => _withheld.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Closed(string reason) => _closed.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
