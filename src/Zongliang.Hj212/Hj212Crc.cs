using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
        if (data.Length > 64 && Gfni.V512.IsSupported && Avx512BW.IsSupported) return ComputeGfni(data);
        return ComputeFolded(data);
    }

    /// <summary>The eight-bytes-per-lookup form, for processors without GFNI and AVX-512.</summary>
    internal static ushort ComputeFolded(ReadOnlySpan<byte> data)
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

    // The same folding, 64 bytes at a time, with GF2P8AFFINEQB, which applies an 8×8 bit matrix to every
    // byte (one matrix per 8-byte lane). Within a lane of bytes c0…c7 a tree of three steps forms
    //   P = F^7(c0) ^ F^6(c1) ^ … ^ F^0(c7)   (pairs, then quads, then the lane);
    // lane j of a block then contributes F^(57 - 8j)(P), and each older block is F^64 further back.
    // The initial high byte 0xFF is folded into the first byte, exactly as "h ^ b" does. A last,
    // partial block of r bytes is read as the 64 bytes ending there with the r new ones kept: leading
    // zeros add nothing (F(0) = 0), and the older blocks are then only F^r further back.
    private static readonly ulong[] PowerMatrices = BuildPowerMatrices();
    private static readonly Vector512<byte> MatrixLanes = Vector512.Create(
        PowerMatrices[57], PowerMatrices[49], PowerMatrices[41], PowerMatrices[33],
        PowerMatrices[25], PowerMatrices[17], PowerMatrices[9], PowerMatrices[1]).AsByte();

    private static ushort ComputeGfni(ReadOnlySpan<byte> data)
    {
        var body = data.Length - 1; // every byte but the last, which yields the whole register
        ref var start = ref MemoryMarshal.GetReference(data);
        var powers = PowerMatrices;
        var f64 = Vector512.Create(powers[64]).AsByte();
        var acc = LaneSums(Vector512.LoadUnsafe(ref start) ^ Vector512.CreateScalar((byte)0xFF));
        var i = 64;
        for (; i + 64 <= body; i += 64)
            acc = Gfni.V512.GaloisFieldAffineTransform(acc, f64, 0) ^ LaneSums(Vector512.LoadUnsafe(ref start, (nuint)i));
        var rest = body - i;
        if (rest > 0)
        {
            var kept = Vector512.GreaterThanOrEqual(Vector512<byte>.Indices, Vector512.Create((byte)(64 - rest)));
            acc = Gfni.V512.GaloisFieldAffineTransform(acc, Vector512.Create(powers[rest]).AsByte(), 0)
                ^ LaneSums(Vector512.LoadUnsafe(ref start, (nuint)(body - 64)) & kept);
        }
        var lanes = Gfni.V512.GaloisFieldAffineTransform(acc, MatrixLanes, 0).AsUInt64();
        var half = lanes.GetLower() ^ lanes.GetUpper();
        var quarter = half.GetLower() ^ half.GetUpper();
        var h = (quarter.ToScalar() ^ quarter.GetElement(1)) & 0xFF;
        return Table[(int)(h ^ data[body])];
    }

    /// <summary>Each 8-byte lane of the block reduced to P in its low byte (the other bytes zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<byte> LaneSums(Vector512<byte> v)
    {
        var pairs = (Gfni.V512.GaloisFieldAffineTransform(v, Vector512.Create(PowerMatrices[1]).AsByte(), 0).AsUInt16() & Vector512.Create((ushort)0xFF))
            ^ (v.AsUInt16() >> 8);
        var quads = (Gfni.V512.GaloisFieldAffineTransform(pairs.AsByte(), Vector512.Create(PowerMatrices[2]).AsByte(), 0).AsUInt32() & Vector512.Create(0xFFu))
            ^ (pairs.AsUInt32() >> 16);
        var lanes = (Gfni.V512.GaloisFieldAffineTransform(quads.AsByte(), Vector512.Create(PowerMatrices[4]).AsByte(), 0).AsUInt64() & Vector512.Create(0xFFUL))
            ^ (quads.AsUInt64() >> 32);
        return lanes.AsByte();
    }

    /// <summary>
    /// F^0 … F^64 as GF2P8AFFINEQB matrices: bit i of the result is the parity of (input AND row i), and
    /// row i is byte 7 - i of the matrix.
    /// </summary>
    private static ulong[] BuildPowerMatrices()
    {
        var matrices = new ulong[65];
        var images = new int[8];
        for (var bit = 0; bit < 8; bit++) images[bit] = 1 << bit;
        for (var k = 0; k <= 64; k++)
        {
            ulong matrix = 0;
            for (var i = 0; i < 8; i++)
            {
                ulong row = 0;
                for (var bit = 0; bit < 8; bit++)
                    if ((images[bit] >> i & 1) != 0) row |= 1UL << bit;
                matrix |= row << (8 * (7 - i));
            }
            matrices[k] = matrix;
            for (var bit = 0; bit < 8; bit++) images[bit] = Table[images[bit]] >> 8;
        }
        return matrices;
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
