namespace Zongliang.Hj212;

/// <summary>
/// Puts split packets (Flag bit D, PNUM/PNO; HJ 212-2017 table 3 and Appendix C.37/C.38) back together.
/// Parts of one message share MN, CN, PNUM and DataTime (their QNs differ). Holds at most
/// <paramref name="capacity"/> incomplete messages and forgets one after <paramref name="timeout"/>.
/// Not thread-safe: one per connection.
/// </summary>
public sealed class Hj212Reassembler(int capacity = 64, TimeSpan? timeout = null)
{
    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromMinutes(10);
    private readonly Dictionary<string, Pending> _pending = [];

    private sealed class Pending(int count, DateTime started)
    {
        public Hj212Packet?[] Parts { get; } = new Hj212Packet?[count];
        public DateTime Started { get; } = started;
    }

    public int PendingCount => _pending.Count;

    /// <summary>Adds a part. Returns the whole message once its last part is in, else null. A packet that is not a part is returned as it is.</summary>
    public Hj212Packet? Add(Hj212Packet part, DateTime nowUtc)
    {
        if (part.Flag is not { } flag || (flag & 2) == 0 || part.PNum is not { } count || part.PNo is not { } no) return part;
        foreach (var stale in _pending.Where(p => nowUtc - p.Value.Started > _timeout).Select(p => p.Key).ToList())
            _pending.Remove(stale);

        var key = $"{part.Mn}|{part.Cn}|{count}|{part.DataTime:yyyyMMddHHmmss}";
        if (!_pending.TryGetValue(key, out var pending))
        {
            if (_pending.Count >= capacity)
                _pending.Remove(_pending.MinBy(p => p.Value.Started).Key);
            _pending[key] = pending = new Pending(count, nowUtc);
        }
        pending.Parts[no - 1] = part;
        if (pending.Parts.Any(p => p is null)) return null;
        _pending.Remove(key);

        var parts = pending.Parts!;
        var first = parts[0]!;
        var cp = string.Join(";", parts.Select(p => p!.Cp).Where(c => c.Length > 0));
        var segment = Hj212Writer.Segment(first.Qn, first.St, first.Cn, first.Pw, first.Mn, flag & ~2, cp);
        return Hj212Parser.ParseSegment(System.Text.Encoding.UTF8.GetBytes(segment)).Packet;
    }
}
