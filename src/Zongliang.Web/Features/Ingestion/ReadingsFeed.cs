using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Zongliang.Web.Features.Ingestion;

/// <summary>
/// Tells open outlet pages that their outlet has new readings, once they are committed, so that the
/// page fetches them at once instead of at its next poll. Signals coalesce: a page that is still
/// fetching is told once more, however many batches came meanwhile.
/// </summary>
public sealed class ReadingsFeed
{
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<Subscription, byte>> _listeners = new();

    public Subscription Subscribe(int outletId)
    {
        var subscription = new Subscription(this, outletId);
        _listeners.GetOrAdd(outletId, _ => new()).TryAdd(subscription, 0);
        return subscription;
    }

    /// <summary>Readings of the outlet were stored (called by the writer after the commit).</summary>
    public void Stored(int outletId)
    {
        if (_listeners.TryGetValue(outletId, out var listeners))
            foreach (var listener in listeners.Keys) listener.Signal();
    }

    public sealed class Subscription(ReadingsFeed feed, int outletId) : IDisposable
    {
        private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

        internal void Signal() => _signal.Writer.TryWrite(true);

        /// <summary>Waits for new readings; false when <paramref name="timeout"/> passed first.</summary>
        public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(timeout);
            try
            {
                await _signal.Reader.ReadAsync(cts.Token);
                return true;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return false;
            }
        }

        public void Dispose()
        {
            if (feed._listeners.TryGetValue(outletId, out var listeners)) listeners.TryRemove(this, out _);
        }
    }
}
