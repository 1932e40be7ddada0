using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Zongliang.Hj212;

/// <summary>The CRC16 of HJ 212-2017 Appendix A. It is not CRC-16/MODBUS: each byte is combined with
/// the register's high byte only (<c>crc = (crc &gt;&gt; 8) ^ b</c>), then shifted eight times with 0xA001.</summary>
public static class Hj212Crc
{
    // After "crc = (crc >> 8) ^ b" the register holds an 8-bit value, and the eight shift/xor rounds
    // are a function of that value alone: Table[v] is the register after one byte.
    private static readonly ushort[] Table = BuildTable();

    // Between bytes only the high byte h of the register matters: h' = F(h ^ b), F(v) = Table[v] >> 8.
    // The rounds are linear over GF(2), so F is too, and eight bytes fold into
    //   h8 = F^8(h ^ b1) ^ F^7(b2) ^ … ^ F^1(b8)
    // where only the first lookup depends on the previous block: the chain of dependent loads is
    // one per eight bytes instead of one per byte. Powers[k - 1] is the table of F^k.
    private static readonly byte[][] Powers = BuildPowers();

    public static ushort Compute(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return 0xFFFF;
        var last = data.Length - 1;
        uint h = 0xFF; // high byte of the initial register 0xFFFF
        var p = Powers;
        // Every index below is masked to 0–255 and every table has 256 entries, so the reads skip bounds checks.
        ref byte f8 = ref MemoryMarshal.GetArrayDataReference(p[7]), f7 = ref MemoryMarshal.GetArrayDataReference(p[6]),
            f6 = ref MemoryMarshal.GetArrayDataReference(p[5]), f5 = ref MemoryMarshal.GetArrayDataReference(p[4]),
            f4 = ref MemoryMarshal.GetArrayDataReference(p[3]), f3 = ref MemoryMarshal.GetArrayDataReference(p[2]),
            f2 = ref MemoryMarshal.GetArrayDataReference(p[1]), f1 = ref MemoryMarshal.GetArrayDataReference(p[0]);
        var i = 0;
        for (; i + 8 <= last; i += 8)
        {
            var w = BinaryPrimitives.ReadUInt64LittleEndian(data[i..]);
            h = (uint)(Unsafe.Add(ref f8, (nint)((h ^ (uint)w) & 0xFF))
                ^ Unsafe.Add(ref f7, (nint)((w >> 8) & 0xFF)) ^ Unsafe.Add(ref f6, (nint)((w >> 16) & 0xFF))
                ^ Unsafe.Add(ref f5, (nint)((w >> 24) & 0xFF)) ^ Unsafe.Add(ref f4, (nint)((w >> 32) & 0xFF))
                ^ Unsafe.Add(ref f3, (nint)((w >> 40) & 0xFF)) ^ Unsafe.Add(ref f2, (nint)((w >> 48) & 0xFF))
                ^ Unsafe.Add(ref f1, (nint)(w >> 56)));
        }
        for (; i < last; i++) h = Unsafe.Add(ref f1, (nint)((h ^ data[i]) & 0xFF));
        // The last byte gives the whole 16-bit register.
        return Table[(h ^ data[last]) & 0xFF];
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

    private static byte[][] BuildPowers()
    {
        var powers = new byte[8][];
        powers[0] = new byte[256];
        for (var v = 0; v < 256; v++) powers[0][v] = (byte)(Table[v] >> 8);
        for (var k = 1; k < 8; k++)
        {
            powers[k] = new byte[256];
            for (var v = 0; v < 256; v++) powers[k][v] = powers[0][powers[k - 1][v]];
        }
        return powers;
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
