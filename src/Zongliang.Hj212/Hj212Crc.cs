namespace Zongliang.Hj212;

/// <summary>The CRC16 of HJ 212-2017 Appendix A. It is not CRC-16/MODBUS: each byte is combined with
/// the register's high byte only (<c>crc = (crc &gt;&gt; 8) ^ b</c>), then shifted eight times with 0xA001.</summary>
public static class Hj212Crc
{
    // After "crc = (crc >> 8) ^ b" the register holds an 8-bit value, and the eight shift/xor rounds
    // are a function of that value alone: one table lookup per byte gives exactly Appendix A's result.
    private static readonly ushort[] Table = BuildTable();

    public static ushort Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFF;
        var table = Table;
        foreach (var b in data)
            crc = table[(crc >> 8) ^ b];
        return (ushort)crc;
    }

    /// <summary>Appendix A's algorithm step by step, as the standard writes it (for tests and as the definition).</summary>
    public static ushort ComputeBitwise(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFF;
        foreach (var b in data)
        {
            crc = (crc >> 8) ^ b;
            for (var j = 0; j < 8; j++)
            {
                var check = crc & 1;
                crc >>= 1;
                if (check == 1) crc ^= 0xA001;
            }
        }
        return (ushort)crc;
    }

    private static ushort[] BuildTable()
    {
        var t = new ushort[256];
        for (uint v = 0; v < 256; v++)
        {
            var crc = v;
            for (var j = 0; j < 8; j++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xA001 : crc >> 1;
            t[v] = (ushort)crc;
        }
        return t;
    }
}
