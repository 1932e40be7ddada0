using Microsoft.EntityFrameworkCore;
using Zongliang.Domain.Monitoring;

namespace Zongliang.Data.Monitoring;

/// <summary>A break in a device's chain: a row whose hash does not follow, or a sequence number that is missing.</summary>
public sealed record ArchiveProblem(int DeviceId, long Seq, string Problem);

public sealed record ArchiveReport(int Devices, long Packets, IReadOnlyList<ArchiveProblem> Problems)
{
    public bool Intact => Problems.Count == 0;
}

/// <summary>
/// Recomputes every device's hash chain of the raw archive: each packet's hash must cover the
/// previous one and its own content, and sequence numbers must run 1, 2, 3 … without a gap. An
/// altered row, a deleted one, or one slipped in, shows as a problem at that place.
/// </summary>
public static class ArchiveVerifier
{
    public static async Task<ArchiveReport> VerifyAsync(ZongliangDbContext db, CancellationToken ct = default)
    {
        var problems = new List<ArchiveProblem>();
        var devices = await db.RawPackets.IgnoreQueryFilters().Select(p => p.DeviceId).Distinct().OrderBy(d => d).ToListAsync(ct);
        long packets = 0;
        foreach (var device in devices)
        {
            var prev = new byte[32];
            long expected = 1;
            // Page through the device's packets in order, so a long archive does not sit in memory at once.
            long after = 0;
            while (true)
            {
                var page = await db.RawPackets.IgnoreQueryFilters().AsNoTracking()
                    .Where(p => p.DeviceId == device && p.Seq > after).OrderBy(p => p.Seq).Take(5000).ToListAsync(ct);
                if (page.Count == 0) break;
                foreach (var p in page)
                {
                    packets++;
                    if (p.Seq != expected)
                        problems.Add(new ArchiveProblem(device, expected, p.Seq > expected ? $"missing packets {expected}–{p.Seq - 1}" : "sequence out of order"));
                    if (!p.PrevHash.AsSpan().SequenceEqual(prev))
                        problems.Add(new ArchiveProblem(device, p.Seq, "does not follow the previous packet's hash"));
                    var hash = RawPacket.ChainHash(p.PrevHash, p.DeviceId, p.Seq, p.ReceivedAtUtc, p.Peer, p.Frame);
                    if (!hash.AsSpan().SequenceEqual(p.Hash))
                        problems.Add(new ArchiveProblem(device, p.Seq, "content altered (hash does not match)"));
                    prev = p.Hash;
                    expected = p.Seq + 1;
                    after = p.Seq;
                }
            }
        }
        return new ArchiveReport(devices.Count, packets, problems);
    }
}
