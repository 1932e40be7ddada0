using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace Zongliang.Web.Features.Ingestion;

/// <summary>Refuses an address for a while after repeated failed authentications (wrong PW, unknown MN).</summary>
public sealed class AuthThrottle(IOptions<Hj212Options> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<IPAddress, (int Failures, DateTime WindowStart)> _failures = new();

    public bool IsBlocked(IPAddress? address)
    {
        if (address is null || !_failures.TryGetValue(address, out var f)) return false;
        var now = clock.GetUtcNow().UtcDateTime;
        if (now - f.WindowStart > options.Value.ThrottleWindow)
        {
            _failures.TryRemove(address, out _);
            return false;
        }
        return f.Failures >= options.Value.AuthFailuresAllowed;
    }

    public void RecordFailure(IPAddress? address)
    {
        if (address is null) return;
        var now = clock.GetUtcNow().UtcDateTime;
        _failures.AddOrUpdate(address, _ => (1, now),
            (_, f) => now - f.WindowStart > options.Value.ThrottleWindow ? (1, now) : (f.Failures + 1, f.WindowStart));
        // Keep the table small under a scan from many addresses.
        if (_failures.Count > 10_000)
            foreach (var stale in _failures.Where(kv => now - kv.Value.WindowStart > options.Value.ThrottleWindow).Select(kv => kv.Key).ToList())
                _failures.TryRemove(stale, out _);
    }
}
