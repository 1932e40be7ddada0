namespace Zongliang.Data;

/// <summary>A data packet seen once: device, command and DataTime (UTC). A second packet with the same key is a duplicate.</summary>
public sealed class PacketKey
{
    public int DeviceId { get; set; }
    public short Cn { get; set; }
    public DateTime DataTimeUtc { get; set; }
}
