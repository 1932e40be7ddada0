using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace Zongliang.Web.Features.Ingestion;

/// <summary>
/// Refuses for a while what failed authentication too often: an MN after repeated wrong passwords
/// (<see cref="Hj212Options.AuthFailuresAllowed"/>), an address after many unknown MNs
/// (<see cref="Hj212Options.UnknownMnsPerAddress"/>, a scan). Throttling by MN keeps the other loggers
/// behind a shared address (a carrier's NAT, a DTU concentrator) reporting while one is misconfigured;
/// a registered device that is not yet networked is answered but never counted.
/// </summary>
public sealed class AuthThrottle(IOptions<Hj212Options> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<IPAddress, (int Failures, DateTime WindowStart)> _addresses = new();
    private readonly ConcurrentDictionary<string, (int Failures, DateTime WindowStart)> _mns = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether an address is refused (too many unknown MNs from it).</summary>
    public bool IsBlocked(IPAddress? address) => address is not null && IsBlocked(_addresses, address, options.Value.UnknownMnsPerAddress);

    /// <summary>Whether a device's MN is refused (too many wrong passwords for it).</summary>
    public bool IsBlocked(string mn) => IsBlocked(_mns, mn, options.Value.AuthFailuresAllowed);

    /// <summary>An unknown MN from this address.</summary>
    public void RecordUnknownMn(IPAddress? address)
    {
        if (address is not null) Record(_addresses, address);
    }

    /// <summary>A wrong password for a registered MN.</summary>
    public void RecordWrongPassword(string mn) => Record(_mns, mn);

    private bool IsBlocked<TKey>(ConcurrentDictionary<TKey, (int Failures, DateTime WindowStart)> table, TKey key, int allowed) where TKey : notnull
    {
        if (!table.TryGetValue(key, out var f)) return false;
        if (clock.GetUtcNow().UtcDateTime - f.WindowStart > options.Value.ThrottleWindow)
        {
            table.TryRemove(key, out _);
            return false;
        }
        return f.Failures >= allowed;
    }

    private void Record<TKey>(ConcurrentDictionary<TKey, (int Failures, DateTime WindowStart)> table, TKey key) where TKey : notnull
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var window = options.Value.ThrottleWindow;
        table.AddOrUpdate(key, _ => (1, now), (_, f) => now - f.WindowStart > window ? (1, now) : (f.Failures + 1, f.WindowStart));
        // Keep the table small under a scan from many addresses or MNs.
        if (table.Count > 10_000)
            foreach (var stale in table.Where(kv => now - kv.Value.WindowStart > window).Select(kv => kv.Key).ToList())
                table.TryRemove(stale, out _);
    }
}
