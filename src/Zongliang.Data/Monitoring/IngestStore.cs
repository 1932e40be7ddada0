using System.Data;
using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Zongliang.Domain.Access;
using Zongliang.Domain.Monitoring;

namespace Zongliang.Data.Monitoring;

/// <summary>A frame from an authenticated device, ready to be stored; <see cref="Readings"/> is empty for non-data commands.</summary>
public sealed record IngestRecord(
    int DeviceId, int OutletId, string Peer, DateTime ReceivedAtUtc, byte[] Frame, short Cn, DateTime? DataTimeUtc, IReadOnlyList<Reading> Readings);

/// <summary>What became of a record: its archive id, and whether it repeated an earlier packet.</summary>
public readonly record struct IngestOutcome(long RawPacketId, bool Duplicate, int Readings);

/// <summary>
/// Writes batches of received frames in one transaction each: the raw archive with its per-device
/// hash chain, the readings (a period already stored is kept, never overwritten), duplicate
/// detection by device, command and DataTime, and each device's last-seen time. When the method
/// returns, the batch is committed: only then may the listener acknowledge (9014).
/// Plain SQL that SQLite and PostgreSQL both run (multi-row INSERT, ON CONFLICT, RETURNING).
/// One writer at a time: the chain heads are cached here.
/// </summary>
public sealed class IngestStore(IServiceScopeFactory scopes, DatabaseSettings settings)
{
    private readonly Dictionary<int, (long Seq, byte[] Hash)> _heads = [];
    private const int RowsPerStatement = 200;

    // SQLite runs in-process: one prepared single-row statement, re-bound per row, is its fastest path.
    // PostgreSQL is a round-trip away: many rows per statement.
    private bool RowByRow => settings.Provider == DatabaseProvider.Sqlite;

    public async Task<IngestOutcome[]> WriteAsync(IReadOnlyList<IngestRecord> batch, CancellationToken ct)
    {
        // PostgreSQL keeps microseconds: hash what the database will give back.
        batch = batch.Select(r => r with { ReceivedAtUtc = new DateTime(r.ReceivedAtUtc.Ticks - r.ReceivedAtUtc.Ticks % 10, DateTimeKind.Utc) }).ToList();
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ScopeAccessor>().Scope = AccessScope.System("ingest");
        var db = scope.ServiceProvider.GetRequiredService<ZongliangDbContext>();
        await db.Database.OpenConnectionAsync(ct);
        var conn = db.Database.GetDbConnection();
        await using var tx = await conn.BeginTransactionAsync(ct);

        // 1. Duplicates: the first packet with a device, command and DataTime wins, in the database and within the batch.
        var keyed = batch.Select((r, i) => (r, i)).Where(x => x.r.DataTimeUtc is not null && x.r.Readings.Count > 0).ToList();
        var fresh = new HashSet<int>();
        var seen = new HashSet<(int, short, DateTime)>();
        var candidates = keyed.Where(x => seen.Add((x.r.DeviceId, x.r.Cn, x.r.DataTimeUtc!.Value))).ToList();
        foreach (var chunk in candidates.Chunk(RowsPerStatement))
        {
            var inserted = await InsertAsync(conn, tx, "PacketKeys", ["DeviceId", "Cn", "DataTimeUtc"],
                chunk.Select(x => new object?[] { x.r.DeviceId, x.r.Cn, x.r.DataTimeUtc }).ToList(),
                "ON CONFLICT DO NOTHING RETURNING \"DeviceId\", \"Cn\", \"DataTimeUtc\"", ct);
            var keys = inserted.Select(row => (Convert.ToInt32(row[0]), Convert.ToInt16(row[1]), AsUtc(row[2]))).ToHashSet();
            foreach (var x in chunk)
                if (keys.Contains((x.r.DeviceId, x.r.Cn, x.r.DataTimeUtc!.Value))) fresh.Add(x.i);
        }

        // 2. The archive, chained per device.
        var heads = new Dictionary<int, (long Seq, byte[] Hash)>();
        var rows = new List<object?[]>(batch.Count);
        var seqOf = new (int Device, long Seq)[batch.Count];
        var duplicates = new bool[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var r = batch[i];
            if (!heads.TryGetValue(r.DeviceId, out var head)) head = await HeadAsync(conn, tx, r.DeviceId, ct);
            var seq = head.Seq + 1;
            var hash = RawPacket.ChainHash(head.Hash, r.DeviceId, seq, r.ReceivedAtUtc, r.Peer, r.Frame);
            heads[r.DeviceId] = (seq, hash);
            seqOf[i] = (r.DeviceId, seq);
            var isDuplicate = duplicates[i] = r.Readings.Count > 0 && r.DataTimeUtc is not null && !fresh.Contains(i);
            rows.Add([r.DeviceId, seq, r.ReceivedAtUtc, r.Peer, r.Cn, r.Frame, head.Hash, hash, isDuplicate, isDuplicate ? 0 : r.Readings.Count]);
        }
        var ids = new Dictionary<(int, long), long>();
        if (RowByRow)
        {
            // The embedded database has this one writer: ids can be given out here, saving a read-back per row.
            var next = await MaxIdAsync(conn, tx, ct) + 1;
            var withIds = new List<object?[]>(rows.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                withIds.Add([next, .. rows[i]]);
                ids[seqOf[i]] = next++;
            }
            await InsertAsync(conn, tx, "RawPackets",
                ["Id", "DeviceId", "Seq", "ReceivedAtUtc", "Peer", "Cn", "Frame", "PrevHash", "Hash", "Duplicate", "Readings"], withIds, "", ct);
        }
        else foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            var returned = await InsertAsync(conn, tx, "RawPackets",
                ["DeviceId", "Seq", "ReceivedAtUtc", "Peer", "Cn", "Frame", "PrevHash", "Hash", "Duplicate", "Readings"],
                chunk.ToList(), "RETURNING \"Id\", \"DeviceId\", \"Seq\"", ct);
            foreach (var row in returned) ids[(Convert.ToInt32(row[1]), Convert.ToInt64(row[2]))] = Convert.ToInt64(row[0]);
        }

        // 3. Readings of the packets that are not duplicates; a period already stored stays as it was.
        var outcomes = new IngestOutcome[batch.Count];
        var readingRows = new List<object?[]>();
        for (var i = 0; i < batch.Count; i++)
        {
            var r = batch[i];
            var id = ids[seqOf[i]];
            outcomes[i] = new IngestOutcome(id, duplicates[i], duplicates[i] ? 0 : r.Readings.Count);
            if (duplicates[i]) continue;
            foreach (var x in r.Readings)
                readingRows.Add([r.OutletId, x.FactorCode, (short)x.Kind, x.TimeUtc, x.Value, x.Min, x.Max, x.Cou, x.Corrected, x.Flag, id]);
        }
        foreach (var chunk in readingRows.Chunk(RowsPerStatement))
            await InsertAsync(conn, tx, "Readings",
                ["OutletId", "FactorCode", "Kind", "TimeUtc", "Value", "Min", "Max", "Cou", "Corrected", "Flag", "RawPacketId"],
                chunk.ToList(), "ON CONFLICT DO NOTHING", ct);

        // 4. Last seen, one row per device.
        var status = batch.GroupBy(r => r.DeviceId)
            .Select(g => new object?[] { g.Key, g.Max(r => r.ReceivedAtUtc), g.MaxBy(r => r.ReceivedAtUtc)!.Peer, (long)g.Count() }).ToList();
        foreach (var chunk in status.Chunk(RowsPerStatement))
            await InsertAsync(conn, tx, "DeviceStatuses", ["DeviceId", "LastSeenUtc", "LastPeer", "Packets"], chunk.ToList(),
                "ON CONFLICT (\"DeviceId\") DO UPDATE SET \"LastSeenUtc\" = excluded.\"LastSeenUtc\", \"LastPeer\" = excluded.\"LastPeer\", " +
                "\"Packets\" = \"DeviceStatuses\".\"Packets\" + excluded.\"Packets\"", ct);

        await tx.CommitAsync(ct);
        foreach (var (device, head) in heads) _heads[device] = head;
        return outcomes;
    }

    private static async Task<long> MaxIdAsync(DbConnection conn, DbTransaction tx, CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT COALESCE(MAX(\"Id\"), 0) FROM \"RawPackets\"";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct));
    }

    /// <summary>Forgets the cached chain heads (after a failed batch, the database is the truth).</summary>
    public void Reset() => _heads.Clear();

    private async Task<(long Seq, byte[] Hash)> HeadAsync(DbConnection conn, DbTransaction tx, int deviceId, CancellationToken ct)
    {
        if (_heads.TryGetValue(deviceId, out var cached)) return cached;
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT \"Seq\", \"Hash\" FROM \"RawPackets\" WHERE \"DeviceId\" = @d ORDER BY \"Seq\" DESC LIMIT 1";
        Add(cmd, "@d", deviceId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt64(0), (byte[])reader[1]) : (0L, new byte[32]);
    }

    private async Task<List<object?[]>> InsertAsync(DbConnection conn, DbTransaction tx, string table, string[] columns,
        IReadOnlyList<object?[]> rows, string tail, CancellationToken ct)
    {
        var result = new List<object?[]>();
        if (rows.Count == 0) return result;
        if (RowByRow) return InsertEach(conn, tx, table, columns, rows, tail);
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        var sql = new StringBuilder($"INSERT INTO \"{table}\" (").AppendJoin(", ", columns.Select(c => $"\"{c}\"")).Append(") VALUES ");
        for (var r = 0; r < rows.Count; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Length; c++)
            {
                var name = $"@p{r}_{c}";
                sql.Append(c == 0 ? name : ", " + name);
                Add(cmd, name, rows[r][c]);
            }
            sql.Append(')');
        }
        cmd.CommandText = sql.Append(' ').Append(tail).ToString();
        if (!tail.Contains("RETURNING"))
        {
            await cmd.ExecuteNonQueryAsync(ct);
            return result;
        }
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            result.Add(row);
        }
        return result;
    }

    private static List<object?[]> InsertEach(DbConnection conn, DbTransaction tx, string table, string[] columns, IReadOnlyList<object?[]> rows, string tail)
    {
        var result = new List<object?[]>();
        using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"INSERT INTO \"{table}\" (" + string.Join(", ", columns.Select(c => $"\"{c}\"")) + ") VALUES ("
            + string.Join(", ", columns.Select((_, i) => "@c" + i)) + ") " + tail;
        for (var i = 0; i < columns.Length; i++) Add(cmd, "@c" + i, rows[0][i]);
        cmd.Prepare();
        var returning = tail.Contains("RETURNING");
        foreach (var row in rows)
        {
            for (var i = 0; i < columns.Length; i++)
            {
                cmd.Parameters[i].Value = row[i] ?? DBNull.Value;
                cmd.Parameters[i].DbType = row[i] is byte[] ? DbType.Binary : cmd.Parameters[i].DbType;
            }
            if (!returning)
            {
                cmd.ExecuteNonQuery();
                continue;
            }
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                var values = new object?[reader.FieldCount];
                reader.GetValues(values!);
                result.Add(values);
            }
        }
        return result;
    }

    private static void Add(DbCommand cmd, string name, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        if (value is byte[]) p.DbType = DbType.Binary;
        cmd.Parameters.Add(p);
    }

    // SQLite hands back the text it stored; PostgreSQL a DateTime.
    private static DateTime AsUtc(object? value) => value switch
    {
        DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Utc),
        string s => DateTime.SpecifyKind(DateTime.Parse(s, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc),
        _ => throw new InvalidOperationException("unexpected time value " + value),
    };
}
