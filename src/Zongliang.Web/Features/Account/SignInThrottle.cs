using System.Collections.Concurrent;
using System.Net;

namespace Zongliang.Web.Features.Account;

/// <summary>
/// Growing delays after failed sign-ins, per account and address: after <see cref="FreeFailures"/>
/// failures from one address the next attempt for that account from there must wait 2, 4, 8 … s, at most
/// <see cref="MaxDelay"/>. It replaces the account lockout, which anybody could use to lock a colleague
/// out at will by typing wrong passwords under their name: the owner signing in from another address
/// is not delayed. A success clears the count.
/// </summary>
public sealed class SignInThrottle(TimeProvider clock)
{
    public const int FreeFailures = 3;
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<(string Account, IPAddress? Address), (int Failures, DateTime Next)> _state = new();

    private static (string, IPAddress?) Key(string account, IPAddress? address) => (account.Trim().ToUpperInvariant(), address);

    /// <summary>How long the account must wait before it may try again from the address; zero: now.</summary>
    public TimeSpan WaitFor(string account, IPAddress? address)
    {
        if (!_state.TryGetValue(Key(account, address), out var s)) return TimeSpan.Zero;
        var wait = s.Next - clock.GetUtcNow().UtcDateTime;
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    public void Failed(string account, IPAddress? address)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        _state.AddOrUpdate(Key(account, address), _ => (1, now), (_, s) =>
        {
            var failures = s.Failures + 1;
            var delay = failures <= FreeFailures ? TimeSpan.Zero
                : TimeSpan.FromSeconds(Math.Min(MaxDelay.TotalSeconds, Math.Pow(2, failures - FreeFailures)));
            return (failures, now + delay);
        });
        // Keep the table small under a spray of names: entries whose delay has run out a while ago go.
        if (_state.Count > 50_000)
            foreach (var stale in _state.Where(kv => now - kv.Value.Next > MaxDelay).Select(kv => kv.Key).ToList())
                _state.TryRemove(stale, out _);
    }

    public void Succeeded(string account, IPAddress? address) => _state.TryRemove(Key(account, address), out _);
}
