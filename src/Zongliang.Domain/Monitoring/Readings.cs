namespace Zongliang.Domain.Monitoring;

/// <summary>What period a reading covers, by the HJ 212 command that carried it (table 9).</summary>
public enum ReadingKind : short
{
    /// <summary>CN 2011: a real-time value (实时数据).</summary>
    RealTime = 2011,
    /// <summary>CN 2051: a minute value, over the logger's minute interval (分钟数据).</summary>
    Minute = 2051,
    /// <summary>CN 2061: an hourly value (小时数据).</summary>
    Hour = 2061,
    /// <summary>CN 2031: a daily value (日数据).</summary>
    Day = 2031,
}

/// <summary>
/// One value of one factor at one outlet for one period, as the logger reported it, with its data
/// flag. Never overwritten: the first report of a period is kept, later copies are duplicates.
/// </summary>
public sealed class Reading
{
    public int OutletId { get; set; }
    public string FactorCode { get; set; } = "";
    public ReadingKind Kind { get; set; }
    /// <summary>Start of the period (or the instant, for real-time values), UTC.</summary>
    public DateTime TimeUtc { get; set; }
    /// <summary>Rtd for real-time values, Avg for the others.</summary>
    public double? Value { get; set; }
    public double? Min { get; set; }
    public double? Max { get; set; }
    /// <summary>Cumulative amount over the period (Cou): flow volume, or pollutant mass.</summary>
    public double? Cou { get; set; }
    /// <summary>O2-corrected (折算) value: ZsRtd or ZsAvg.</summary>
    public double? Corrected { get; set; }
    /// <summary>Data flag of table 8 (N F M S D C T B), or what the logger sent.</summary>
    public string Flag { get; set; } = "";
    public long RawPacketId { get; set; }
}

/// <summary>
/// A frame as received from a device, kept as evidence: receive time, peer, the bytes, and a hash
/// chain per device (each hash covers the previous one), so that an altered or deleted row shows.
/// </summary>
public sealed class RawPacket
{
    public long Id { get; set; }
    public int DeviceId { get; set; }
    /// <summary>1, 2, 3 … per device: a gap means a deleted packet.</summary>
    public long Seq { get; set; }
    public DateTime ReceivedAtUtc { get; set; }
    public string Peer { get; set; } = "";
    public short Cn { get; set; }
    public byte[] Frame { get; set; } = [];
    public byte[] PrevHash { get; set; } = [];
    public byte[] Hash { get; set; } = [];
    /// <summary>Same device, command and DataTime as an earlier packet: archived, but its readings were not stored again.</summary>
    public bool Duplicate { get; set; }
    /// <summary>Reading count stored from this packet.</summary>
    public int Readings { get; set; }

    /// <summary>SHA-256 over the previous hash, the device, the sequence number, the receive time (ticks, UTC), the peer and the frame.</summary>
    public static byte[] ChainHash(ReadOnlySpan<byte> prevHash, int deviceId, long seq, DateTime receivedAtUtc, string peer, ReadOnlySpan<byte> frame)
    {
        var peerLength = System.Text.Encoding.UTF8.GetByteCount(peer);
        var length = prevHash.Length + 20 + peerLength + frame.Length;
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var b = rented.AsSpan(0, length);
            prevHash.CopyTo(b);
            var at = prevHash.Length;
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(b[at..], deviceId);
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(b[(at + 4)..], seq);
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(b[(at + 12)..], receivedAtUtc.Ticks);
            System.Text.Encoding.UTF8.GetBytes(peer, b[(at + 20)..]);
            frame.CopyTo(b[(at + 20 + peerLength)..]);
            return System.Security.Cryptography.SHA256.HashData(b);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }
}

/// <summary>When a device was last heard from; online means heard within the configured time.</summary>
public sealed class DeviceStatus
{
    public int DeviceId { get; set; }
    public DateTime LastSeenUtc { get; set; }
    public string LastPeer { get; set; } = "";
    public long Packets { get; set; }

    /// <summary>Online: heard from within <paramref name="offlineAfter"/> of now. A device never heard from is offline.</summary>
    public static bool IsOnline(DateTime? lastSeenUtc, DateTime nowUtc, TimeSpan offlineAfter) =>
        lastSeenUtc is { } seen && nowUtc - seen < offlineAfter;
}
