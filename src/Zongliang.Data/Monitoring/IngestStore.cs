using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
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
/// SQLite: one prepared single-row statement per table, re-bound per row. PostgreSQL: binary COPY
/// (into session staging tables where ON CONFLICT is needed).
/// Writers may run at once on PostgreSQL as long as no two write the same device: the chain heads are cached here.
/// </summary>
public sealed class IngestStore(IServiceScopeFactory scopes)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, (long Seq, byte[] Hash)> _heads = new();

    // Each table's columns as written here, once for both databases.
    private static readonly string[] KeyColumns = ["DeviceId", "Cn", "DataTimeUtc"];
    private static readonly string[] RawColumns = ["Id", "DeviceId", "Seq", "ReceivedAtUtc", "Peer", "Cn", "Frame", "PrevHash", "Hash", "Duplicate", "Readings"];
    private static readonly string[] ReadingColumns = ["OutletId", "FactorCode", "Kind", "TimeUtc", "Value", "Min", "Max", "Cou", "Corrected", "Flag", "RawPacketId"];
    private static readonly string[] StatusColumns = ["DeviceId", "LastSeenUtc", "LastPeer", "Packets"];
    private const string KeyInsertTail = "ON CONFLICT DO NOTHING RETURNING \"DeviceId\", \"Cn\", \"DataTimeUtc\"";
    private const string StatusUpsertTail = "ON CONFLICT (\"DeviceId\") DO UPDATE SET \"LastSeenUtc\" = excluded.\"LastSeenUtc\", " +
        "\"LastPeer\" = excluded.\"LastPeer\", \"Packets\" = \"DeviceStatuses\".\"Packets\" + excluded.\"Packets\"";

    public IngestOutcome[] Write(IReadOnlyList<IngestRecord> batch)
    {
        // PostgreSQL keeps microseconds: hash what the database will give back.
        batch = batch.Select(r => r with { ReceivedAtUtc = new DateTime(r.ReceivedAtUtc.Ticks - r.ReceivedAtUtc.Ticks % 10, DateTimeKind.Utc) }).ToList();
        using var scope = scopes.CreateScope();
        scope.ServiceProvider.GetRequiredService<ScopeAccessor>().Scope = AccessScope.System("ingest");
        var db = scope.ServiceProvider.GetRequiredService<ZongliangDbContext>();
        db.Database.OpenConnection();
        var conn = db.Database.GetDbConnection();
        // SQLite runs in-process: one prepared single-row statement, re-bound per row, is its fastest path.
        // PostgreSQL is a round-trip away: binary COPY of the whole batch.
        var pg = conn as NpgsqlConnection;
        using var tx = conn.BeginTransaction();

        // 1. Duplicates: the first packet with a device, command and DataTime wins, in the database and within the batch.
        var keyed = batch.Select((r, i) => (r, i)).Where(x => x.r.DataTimeUtc is not null && x.r.Readings.Count > 0).ToList();
        var fresh = new HashSet<int>();
        var seen = new HashSet<(int, short, DateTime)>();
        var candidates = keyed.Where(x => seen.Add((x.r.DeviceId, x.r.Cn, x.r.DataTimeUtc!.Value))).ToList();
        if (pg is not null)
        {
            CreateStaging(pg, tx);
            using (var copy = pg.BeginBinaryImport($"COPY zl_keys ({Quoted([.. KeyColumns, "Ord"])}) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var (r, i) in candidates)
                {
                    copy.StartRow();
                    copy.Write(r.DeviceId, NpgsqlDbType.Integer);
                    copy.Write(r.Cn, NpgsqlDbType.Smallint);
                    copy.Write(r.DataTimeUtc!.Value, NpgsqlDbType.TimestampTz);
                    copy.Write(i, NpgsqlDbType.Integer);
                }
                copy.Complete();
            }
            using var insert = pg.CreateCommand();
            insert.Transaction = (NpgsqlTransaction)tx;
            insert.CommandText = $"INSERT INTO \"PacketKeys\" ({Quoted(KeyColumns)}) SELECT {Quoted(KeyColumns)} FROM zl_keys ORDER BY \"Ord\" {KeyInsertTail}";
            var keys = new HashSet<(int, short, DateTime)>();
            using (var reader = insert.ExecuteReader())
                while (reader.Read()) keys.Add((reader.GetInt32(0), reader.GetInt16(1), DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc)));
            foreach (var (r, i) in candidates)
                if (keys.Contains((r.DeviceId, r.Cn, r.DataTimeUtc!.Value))) fresh.Add(i);
        }
        else
        {
            var inserted = Insert(conn, tx, "PacketKeys", KeyColumns,
                candidates.Select(x => new object?[] { x.r.DeviceId, x.r.Cn, x.r.DataTimeUtc }).ToList(), KeyInsertTail);
            var keys = inserted.Select(row => (Convert.ToInt32(row[0]), Convert.ToInt16(row[1]), AsUtc(row[2]))).ToHashSet();
            foreach (var x in candidates)
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
            if (!heads.TryGetValue(r.DeviceId, out var head)) head = Head(conn, tx, r.DeviceId);
            var seq = head.Seq + 1;
            var hash = RawPacket.ChainHash(head.Hash, r.DeviceId, seq, r.ReceivedAtUtc, r.Peer, r.Frame);
            heads[r.DeviceId] = (seq, hash);
            seqOf[i] = (r.DeviceId, seq);
            var isDuplicate = duplicates[i] = r.Readings.Count > 0 && r.DataTimeUtc is not null && !fresh.Contains(i);
            rows.Add([r.DeviceId, seq, r.ReceivedAtUtc, r.Peer, r.Cn, r.Frame, head.Hash, hash, isDuplicate, isDuplicate ? 0 : r.Readings.Count]);
        }
        var ids = new Dictionary<(int, long), long>();
        if (pg is null)
        {
            // The embedded database has this one writer: ids can be given out here, saving a read-back per row.
            var next = MaxId(conn, tx) + 1;
            var withIds = new List<object?[]>(rows.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                withIds.Add([next, .. rows[i]]);
                ids[seqOf[i]] = next++;
            }
            Insert(conn, tx, "RawPackets", RawColumns, withIds, "");
        }
        else
        {
            // Ids from the table's own sequence, then one binary COPY of the whole batch.
            using var next = pg.CreateCommand();
            next.Transaction = (NpgsqlTransaction)tx;
            next.CommandText = "SELECT nextval(pg_get_serial_sequence('\"RawPackets\"', 'Id')) FROM generate_series(1, @n)";
            next.Parameters.AddWithValue("n", rows.Count);
            var given = new List<long>(rows.Count);
            using (var reader = next.ExecuteReader())
                while (reader.Read()) given.Add(reader.GetInt64(0));
            given.Sort();
            using var copy = pg.BeginBinaryImport($"COPY \"RawPackets\" ({Quoted(RawColumns)}) FROM STDIN (FORMAT BINARY)");
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                copy.StartRow();
                copy.Write(given[i], NpgsqlDbType.Bigint);
                copy.Write((int)row[0]!, NpgsqlDbType.Integer);
                copy.Write((long)row[1]!, NpgsqlDbType.Bigint);
                copy.Write((DateTime)row[2]!, NpgsqlDbType.TimestampTz);
                copy.Write((string)row[3]!, NpgsqlDbType.Varchar);
                copy.Write((short)row[4]!, NpgsqlDbType.Smallint);
                copy.Write((byte[])row[5]!, NpgsqlDbType.Bytea);
                copy.Write((byte[])row[6]!, NpgsqlDbType.Bytea);
                copy.Write((byte[])row[7]!, NpgsqlDbType.Bytea);
                copy.Write((bool)row[8]!, NpgsqlDbType.Boolean);
                copy.Write((int)row[9]!, NpgsqlDbType.Integer);
                ids[seqOf[i]] = given[i];
            }
            copy.Complete();
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
        if (pg is not null)
        {
            using (var copy = pg.BeginBinaryImport($"COPY zl_readings ({Quoted([.. ReadingColumns, "Ord"])}) FROM STDIN (FORMAT BINARY)"))
            {
                for (var i = 0; i < readingRows.Count; i++)
                {
                    var row = readingRows[i];
                    copy.StartRow();
                    copy.Write((int)row[0]!, NpgsqlDbType.Integer);
                    copy.Write((string)row[1]!, NpgsqlDbType.Varchar);
                    copy.Write((short)row[2]!, NpgsqlDbType.Smallint);
                    copy.Write((DateTime)row[3]!, NpgsqlDbType.TimestampTz);
                    for (var c = 4; c <= 8; c++)
                        if (row[c] is double d) copy.Write(d, NpgsqlDbType.Double);
                        else copy.WriteNull();
                    copy.Write((string)row[9]!, NpgsqlDbType.Varchar);
                    copy.Write((long)row[10]!, NpgsqlDbType.Bigint);
                    copy.Write(i, NpgsqlDbType.Integer);
                }
                copy.Complete();
            }
            Execute(pg, tx, $"INSERT INTO \"Readings\" ({Quoted(ReadingColumns)}) SELECT {Quoted(ReadingColumns)} FROM zl_readings ORDER BY \"Ord\" ON CONFLICT DO NOTHING");
        }
        else
            Insert(conn, tx, "Readings", ReadingColumns, readingRows, "ON CONFLICT DO NOTHING");

        // 4. Last seen, one row per device.
        var status = batch.GroupBy(r => r.DeviceId)
            .Select(g => new object?[] { g.Key, g.Max(r => r.ReceivedAtUtc), g.MaxBy(r => r.ReceivedAtUtc)!.Peer, (long)g.Count() }).ToList();
        if (pg is not null)
        {
            using (var copy = pg.BeginBinaryImport($"COPY zl_status ({Quoted(StatusColumns)}) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var row in status)
                {
                    copy.StartRow();
                    copy.Write((int)row[0]!, NpgsqlDbType.Integer);
                    copy.Write((DateTime)row[1]!, NpgsqlDbType.TimestampTz);
                    copy.Write((string)row[2]!, NpgsqlDbType.Varchar);
                    copy.Write((long)row[3]!, NpgsqlDbType.Bigint);
                }
                copy.Complete();
            }
            Execute(pg, tx, $"INSERT INTO \"DeviceStatuses\" ({Quoted(StatusColumns)}) SELECT {Quoted(StatusColumns)} FROM zl_status {StatusUpsertTail}");
        }
        else
            Insert(conn, tx, "DeviceStatuses", StatusColumns, status, StatusUpsertTail);

        tx.Commit();
        foreach (var (device, head) in heads) _heads[device] = head;
        return outcomes;
    }

    /// <summary>
    /// PostgreSQL: the session's staging tables for binary COPY (COPY has no ON CONFLICT); emptied at
    /// every commit, created once per pooled connection.
    /// </summary>
    private static void CreateStaging(NpgsqlConnection conn, DbTransaction tx) => Execute(conn, tx,
        "CREATE TEMP TABLE IF NOT EXISTS zl_keys (\"DeviceId\" integer, \"Cn\" smallint, \"DataTimeUtc\" timestamptz, \"Ord\" integer) ON COMMIT DELETE ROWS; " +
        "CREATE TEMP TABLE IF NOT EXISTS zl_readings (\"OutletId\" integer, \"FactorCode\" varchar(16), \"Kind\" smallint, \"TimeUtc\" timestamptz, " +
        "\"Value\" double precision, \"Min\" double precision, \"Max\" double precision, \"Cou\" double precision, \"Corrected\" double precision, " +
        "\"Flag\" varchar(4), \"RawPacketId\" bigint, \"Ord\" integer) ON COMMIT DELETE ROWS; " +
        "CREATE TEMP TABLE IF NOT EXISTS zl_status (\"DeviceId\" integer, \"LastSeenUtc\" timestamptz, \"LastPeer\" varchar(64), \"Packets\" bigint) ON COMMIT DELETE ROWS");

    private static string Quoted(IEnumerable<string> columns) => string.Join(", ", columns.Select(c => $"\"{c}\""));

    private static void Execute(NpgsqlConnection conn, DbTransaction tx, string sql)
    {
        using var cmd = conn.CreateCommand();
        cmd.Transaction = (NpgsqlTransaction)tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static long MaxId(DbConnection conn, DbTransaction tx)
    {
        using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT COALESCE(MAX(\"Id\"), 0) FROM \"RawPackets\"";
        return Convert.ToInt64(cmd.ExecuteScalar());
    }

    /// <summary>Forgets the cached chain heads (after a failed batch, the database is the truth).</summary>
    public void Reset() => _heads.Clear();

    private (long Seq, byte[] Hash) Head(DbConnection conn, DbTransaction tx, int deviceId)
    {
        if (_heads.TryGetValue(deviceId, out var cached)) return cached;
        using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT \"Seq\", \"Hash\" FROM \"RawPackets\" WHERE \"DeviceId\" = @d ORDER BY \"Seq\" DESC LIMIT 1";
        Add(cmd, "@d", deviceId);
        using var reader = cmd.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), (byte[])reader[1]) : (0L, new byte[32]);
    }

    /// <summary>SQLite: the rows through one prepared single-row statement; what RETURNING gives back.</summary>
    private static List<object?[]> Insert(DbConnection conn, DbTransaction tx, string table, string[] columns, IReadOnlyList<object?[]> rows, string tail)
    {
        var result = new List<object?[]>();
        if (rows.Count == 0) return result;
        using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"INSERT INTO \"{table}\" ({Quoted(columns)}) VALUES ("
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
