namespace Zongliang.Hj212;

/// <summary>
/// Puts split packets (Flag bit D, PNUM/PNO; HJ 212-2017 table 3 and Appendix C.37/C.38) back together.
/// Parts of one message share MN, CN, PNUM and DataTime (their QNs differ). Holds at most
/// <paramref name="capacity"/> incomplete messages and forgets one after <paramref name="timeout"/>;
/// a part announcing more than <paramref name="maxParts"/> parts, or a PNO outside 1…PNUM, is not a
/// part it takes (<see cref="IsAcceptablePart"/>). Not thread-safe: the caller serialises.
/// </summary>
public sealed class Hj212Reassembler(int capacity = 64, TimeSpan? timeout = null, int maxParts = 100)
{
    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromMinutes(10);
    private readonly Dictionary<string, Pending> _pending = [];

    private sealed class Pending(int count, DateTime started)
    {
        public Hj212Packet?[] Parts { get; } = new Hj212Packet?[count];
        public DateTime Started { get; } = started;
    }

    public int PendingCount => _pending.Count;

    /// <summary>Whether a packet is a part (Flag bit D, PNUM and PNO present).</summary>
    public static bool IsPart(Hj212Packet packet) => packet.Flag is { } flag && (flag & 2) != 0 && packet.PNum is not null && packet.PNo is not null;

    /// <summary>
    /// Whether a part can be held: 1 ≤ PNO ≤ PNUM ≤ <paramref name="maxParts"/>. Each pending message
    /// holds a slot per part, so PNUM is capped (a PNUM of 999999999 once asked for 8 GB).
    /// </summary>
    public static bool IsAcceptablePart(Hj212Packet part, int maxParts) =>
        part.PNum is { } count && part.PNo is { } no && count >= 1 && count <= maxParts && no >= 1 && no <= count;

    /// <summary>The parts of the message <paramref name="part"/> belongs to that are not in yet (PNO numbers); empty when it is not pending.</summary>
    public IReadOnlyList<int> Missing(Hj212Packet part)
    {
        if (!_pending.TryGetValue(KeyOf(part), out var pending)) return [];
        return [.. Enumerable.Range(1, pending.Parts.Length).Where(n => pending.Parts[n - 1] is null)];
    }

    private static string KeyOf(Hj212Packet part) => $"{part.Mn}|{part.Cn}|{part.PNum}|{part.DataTime:yyyyMMddHHmmss}";

    /// <summary>Adds a part. Returns the whole message once its last part is in, else null. A packet that is not a part is returned as it is.</summary>
    public Hj212Packet? Add(Hj212Packet part, DateTime nowUtc)
    {
        if (!IsPart(part)) return part;
        if (!IsAcceptablePart(part, maxParts)) return null;
        var (flag, count, no) = (part.Flag!.Value, part.PNum!.Value, part.PNo!.Value);
        foreach (var stale in _pending.Where(p => nowUtc - p.Value.Started > _timeout).Select(p => p.Key).ToList())
            _pending.Remove(stale);

        var key = KeyOf(part);
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
