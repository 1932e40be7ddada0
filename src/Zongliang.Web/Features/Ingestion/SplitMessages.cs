using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Zongliang.Data;
using Zongliang.Domain.Access;
using Zongliang.Hj212;

namespace Zongliang.Web.Features.Ingestion;

/// <summary>
/// Split messages (Flag bit D, PNUM/PNO; HJ 212-2017 table 3) of every connection, put back together
/// per device. Each part is archived and acknowledged as it comes; the whole message's readings are
/// stored with its last part. A logger that reconnects between two parts (or whose parts reach two
/// instances, or come on both sides of a restart) still has its message put together: when the last
/// part comes and earlier ones are not held here, they are read back from the archive, where every
/// acknowledged part is.
/// </summary>
public sealed class SplitMessages(IOptions<Hj212Options> options, IServiceScopeFactory scopes, ILogger<SplitMessages> log)
{
    /// <summary>How long the parts of one message may take to arrive; older parts are forgotten (and not looked for in the archive).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    private readonly Hj212Reassembler _parts = new(capacity: 4096, Timeout, options.Value.MaxPacketParts);
    private readonly Lock _lock = new();

    /// <summary>Whether a part can be taken at all (PNUM within the configured cap, PNO within PNUM).</summary>
    public bool Acceptable(Hj212Packet packet) => !Hj212Reassembler.IsPart(packet) || Hj212Reassembler.IsAcceptablePart(packet, options.Value.MaxPacketParts);

    /// <summary>Adds a packet of a device: the whole message once complete, the packet itself when it is not a part, else null.</summary>
    public async ValueTask<Hj212Packet?> AddAsync(int deviceId, Hj212Packet packet, DateTime nowUtc, CancellationToken ct)
    {
        if (!Hj212Reassembler.IsPart(packet)) return packet;
        IReadOnlyList<int> missing;
        lock (_lock)
        {
            if (_parts.Add(packet, nowUtc) is { } whole) return whole;
            if (packet.PNo != packet.PNum) return null;
            missing = _parts.Missing(packet);
        }
        if (missing.Count == 0) return null;
        var archived = await FromArchiveAsync(deviceId, packet, missing, nowUtc, ct);
        lock (_lock)
        {
            Hj212Packet? whole = null;
            foreach (var part in archived)
                whole = _parts.Add(part, nowUtc) ?? whole;
            if (whole is not null)
                log.LogInformation("HJ 212 split message of MN {Mn} (CN {Cn}) completed with {Parts} parts from the archive", packet.Mn, packet.Cn, archived.Count);
            return whole;
        }
    }

    /// <summary>The missing parts of the message as archived for the device within <see cref="Timeout"/>.</summary>
    private async Task<List<Hj212Packet>> FromArchiveAsync(int deviceId, Hj212Packet last, IReadOnlyList<int> missing, DateTime nowUtc, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ScopeAccessor>().Scope = AccessScope.System("hj212");
        var db = scope.ServiceProvider.GetRequiredService<ZongliangDbContext>();
        var cn = (short)Math.Clamp(last.CommandCode, -1, short.MaxValue);
        var since = nowUtc - Timeout;
        // The latest frames of that command: at most two messages' worth, newest first.
        var frames = await db.RawPackets.AsNoTracking()
            .Where(p => p.DeviceId == deviceId && p.Cn == cn && p.ReceivedAtUtc >= since)
            .OrderByDescending(p => p.Seq).Take(2 * options.Value.MaxPacketParts)
            .Select(p => p.Frame).ToListAsync(ct);
        var wanted = missing.ToHashSet();
        var found = new List<Hj212Packet>();
        foreach (var frame in frames)
        {
            if (Hj212Parser.ParseFrame(frame).Packet is not { } p || !Hj212Reassembler.IsPart(p)) continue;
            if (p.PNum != last.PNum || p.DataTime != last.DataTime || !string.Equals(p.Mn, last.Mn, StringComparison.OrdinalIgnoreCase)) continue;
            if (wanted.Remove(p.PNo!.Value)) found.Add(p);
            if (wanted.Count == 0) break;
        }
        return found;
    }
}
