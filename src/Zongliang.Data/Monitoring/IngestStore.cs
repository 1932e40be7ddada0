using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using Zongliang.Domain.Access;
using Zongliang.Domain.Common;
using Zongliang.Domain.Monitoring;

namespace Zongliang.Data.Monitoring;

/// <summary>A frame from an authenticated device, ready to be stored; <see cref="Readings"/> is empty for non-data commands.</summary>
public sealed record IngestRecord(
    int DeviceId, int OutletId, string Peer, DateTime ReceivedAtUtc, byte[] Frame, short Cn, DateTime? DataTimeUtc, IReadOnlyList<Reading> Readings)
{
    /// <summary>Data with a DataTime: it has a key (device, command, DataTime), and a later packet with the same key is a repeat.</summary>
    public bool Keyed => DataTimeUtc is not null && Readings.Count > 0;

    /// <summary>Minute data: the outlet's hours and days are recomputed from its Beijing day (a request written with it).</summary>
    public bool AsksForRecompute => Keyed && Cn == (short)ReadingKind.Minute;
}

/// <summary>What became of a record: its archive id, and whether it repeated an earlier packet.</summary>
public readonly record struct IngestOutcome(long RawPacketId, bool Duplicate, int Readings);

/// <summary>
/// Writes batches of received frames in one transaction each: the raw archive with its per-device
/// hash chain, the readings (a period already stored is kept, never overwritten), duplicate
/// detection by device, command and DataTime, each device's last-seen time, and the requests to
/// recompute the outlets with new minute data (<see cref="RecomputeQueue"/>). When the method
/// returns, the batch is committed: only then may the listener acknowledge (9014).
/// SQLite: one prepared single-row statement per table, re-bound per row. PostgreSQL: one statement
/// for the whole batch, its rows sent as arrays.
/// Writers may run at once on PostgreSQL as long as no two write the same device: the chain heads are cached here.
/// </summary>
public sealed class IngestStore(IServiceScopeFactory scopes)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, (long Seq, byte[] Hash)> _heads = new();

    /// <summary>
    /// A device's status row is written at most this often: under load a batch comes every few
    /// milliseconds, and rewriting the same rows each time left PostgreSQL walking their dead versions.
    /// Online and offline are judged in minutes.
    /// </summary>
    public static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(2);

    // Per device: when its status row was last written; the packets stored since (not yet counted
    // there), and when and from where the last of them came.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, StatusState> _status = new();

    // When each writer (by its device predicate) last looked for quiet devices with uncounted packets.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<object, DateTime> _sweptAt = new();

    private readonly record struct StatusState(DateTime WrittenAt, long Unwritten, DateTime LastSeenUtc, string Peer);

    private sealed record StatusRow(int DeviceId, DateTime LastSeenUtc, string Peer, long Packets);

    // Each table's columns as written here, once for both databases.
    private static readonly string[] KeyColumns = ["DeviceId", "Cn", "DataTimeUtc"];
    private static readonly string[] RawColumns = ["Id", "DeviceId", "Seq", "ReceivedAtUtc", "Peer", "Cn", "Frame", "PrevHash", "Hash", "Duplicate", "Readings"];
    private static readonly string[] ReadingColumns = ["OutletId", "FactorCode", "Kind", "TimeUtc", "Value", "Min", "Max", "Cou", "Corrected", "Flag", "RawPacketId"];
    private static readonly string[] StatusColumns = ["DeviceId", "LastSeenUtc", "LastPeer", "Packets"];
    private const string KeyReturning = "RETURNING \"DeviceId\", \"Cn\", \"DataTimeUtc\"";
    private const string KeyInsertTail = "ON CONFLICT DO NOTHING " + KeyReturning;
    private const string StatusUpsertTail = "ON CONFLICT (\"DeviceId\") DO UPDATE SET \"LastSeenUtc\" = excluded.\"LastSeenUtc\", " +
        "\"LastPeer\" = excluded.\"LastPeer\", \"Packets\" = \"DeviceStatuses\".\"Packets\" + excluded.\"Packets\"";

    /// <summary>A receive time as both databases keep it: whole microseconds, UTC.</summary>
    public static DateTime StoredPrecision(DateTime utc) => new(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);

    /// <summary>The unique index of the archive's chain: a second row with a device's sequence number breaks it.</summary>
    private const string ChainIndex = "IX_RawPackets_DeviceId_Seq";

    /// <summary>Writes a batch may take when other instances keep extending its devices' chains.</summary>
    internal const int ChainAttempts = 4;

    /// <summary>Batches written again after another instance had extended one of their devices' chains (for tests).</summary>
    internal int ChainConflicts => Volatile.Read(ref _chainConflicts);
    private int _chainConflicts;

    /// <param name="owned">The devices this writer stores (each device has one writer); null: all.</param>
    /// <remarks>
    /// Within an instance each device has one writer, and its chain head is cached. Another instance on
    /// the same database may store packets of the device too (a logger that reconnected through the
    /// balancer): the write then breaks the chain's unique index, and the batch is written again with
    /// the heads read anew, instead of failing.
    /// </remarks>
    public IngestOutcome[] Write(IReadOnlyList<IngestRecord> batch, Func<int, bool>? owned = null)
    {
        for (var attempt = 1; ; attempt++)
            try
            {
                return WriteOnce(batch, owned);
            }
            catch (Exception ex) when (attempt < ChainAttempts && IsChainConflict(ex))
            {
                foreach (var device in batch.Select(r => r.DeviceId).Distinct()) _heads.TryRemove(device, out _);
                Interlocked.Increment(ref _chainConflicts);
            }
    }

    private static bool IsChainConflict(Exception ex) => ex switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation && pg.ConstraintName == ChainIndex,
        Microsoft.Data.Sqlite.SqliteException lite => lite.SqliteErrorCode == 19 && lite.Message.Contains("RawPackets.DeviceId, RawPackets.Seq", StringComparison.Ordinal),
        _ => false,
    };

    private IngestOutcome[] WriteOnce(IReadOnlyList<IngestRecord> batch, Func<int, bool>? owned)
    {
        // PostgreSQL keeps microseconds: hash what the database will give back. The listener takes its
        // times that way already; a record from elsewhere is copied with its time cut.
        if (batch.Any(r => r.ReceivedAtUtc != StoredPrecision(r.ReceivedAtUtc)))
            batch = batch.Select(r => r with { ReceivedAtUtc = StoredPrecision(r.ReceivedAtUtc) }).ToList();
        using var scope = scopes.CreateScope();
        scope.ServiceProvider.GetRequiredService<ScopeAccessor>().Scope = AccessScope.System("ingest");
        var db = scope.ServiceProvider.GetRequiredService<ZongliangDbContext>();
        db.Database.OpenConnection();
        var conn = db.Database.GetDbConnection();
        // SQLite runs in-process: one prepared single-row statement per table, re-bound per row, in a
        // transaction. PostgreSQL is a round-trip away: the whole batch in one statement, its rows
        // sent as arrays; a single statement is its own transaction.
        var pg = conn as NpgsqlConnection;
        using var tx = pg is null ? conn.BeginTransaction() : null;

        // Duplicates: the first packet with a device, command and DataTime wins, in the database and
        // within the batch. Candidates are the first ones within the batch; the database decides for them.
        var candidate = new bool[batch.Count];
        var seen = new HashSet<(int, short, DateTime)>();
        for (var i = 0; i < batch.Count; i++)
            candidate[i] = batch[i] is { Keyed: true } r && seen.Add((r.DeviceId, r.Cn, r.DataTimeUtc!.Value));

        // The archive's chain, per device.
        var heads = new Dictionary<int, (long Seq, byte[] Hash)>();
        var chain = new (long Seq, byte[] Prev, byte[] Hash)[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var r = batch[i];
            if (!heads.TryGetValue(r.DeviceId, out var head)) head = Head(conn, tx, r.DeviceId);
            var seq = head.Seq + 1;
            var hash = RawPacket.ChainHash(head.Hash, r.DeviceId, seq, r.ReceivedAtUtc, r.Peer, r.Frame);
            heads[r.DeviceId] = (seq, hash);
            chain[i] = (seq, head.Hash, hash);
        }

        var (statusRows, statusAfter, sweptAt) = StatusRows(batch, owned);
        // One request per outlet, with its earliest day, in outlet order (two writers lock rows in the same order).
        var recompute = batch.Where(r => r.AsksForRecompute).GroupBy(r => r.OutletId)
            .Select(g => (OutletId: g.Key, Day: g.Min(r => BeijingTime.Date(r.DataTimeUtc!.Value)))).OrderBy(x => x.OutletId).ToList();
        var outcomes = pg is not null ? WritePostgreSql(pg, batch, candidate, chain, statusRows, recompute) : WriteSqlite(conn, tx!, batch, candidate, chain, statusRows, recompute);
        tx?.Commit();
        foreach (var (device, head) in heads) _heads[device] = head;
        foreach (var (device, state) in statusAfter) _status[device] = state;
        if (sweptAt is { } swept) _sweptAt[(object?)owned ?? this] = swept;
        return outcomes;
    }

    /// <summary>
    /// The status rows to write with a batch: its devices, and others of this writer whose last packets
    /// are not counted yet, each once its <see cref="StatusInterval"/> is up; and each device's state
    /// once the batch is committed; and, if quiet devices were looked for, when (to be recorded once committed).
    /// </summary>
    private (List<StatusRow> Rows, Dictionary<int, StatusState> After, DateTime? SweptAt) StatusRows(IReadOnlyList<IngestRecord> batch, Func<int, bool>? owned)
    {
        var now = batch.Count > 0 ? batch.Max(r => r.ReceivedAtUtc) : DateTime.UtcNow;
        var after = new Dictionary<int, StatusState>();
        foreach (var r in batch)
        {
            var known = after.TryGetValue(r.DeviceId, out var k) ? k : _status.GetValueOrDefault(r.DeviceId, new StatusState(DateTime.MinValue, 0, DateTime.MinValue, ""));
            after[r.DeviceId] = known with
            {
                Unwritten = known.Unwritten + 1,
                LastSeenUtc = r.ReceivedAtUtc > known.LastSeenUtc ? r.ReceivedAtUtc : known.LastSeenUtc,
                Peer = r.ReceivedAtUtc >= known.LastSeenUtc ? r.Peer : known.Peer,
            };
        }
        // Devices that have gone quiet with packets uncounted: looked for once an interval per writer, not
        // with every batch (a walk over all devices; under load batches come every few milliseconds).
        DateTime? sweptAt = null;
        if (batch.Count == 0 || now - _sweptAt.GetValueOrDefault((object?)owned ?? this) >= StatusInterval)
        {
            sweptAt = now;
            foreach (var (device, state) in _status)
                if (state.Unwritten > 0 && !after.ContainsKey(device) && (owned?.Invoke(device) ?? true)) after[device] = state;
        }
        var rows = new List<StatusRow>();
        foreach (var (device, state) in after.ToList())
            if (now - state.WrittenAt >= StatusInterval)
            {
                rows.Add(new StatusRow(device, state.LastSeenUtc, state.Peer, state.Unwritten));
                after[device] = state with { WrittenAt = now, Unwritten = 0 };
            }
        return (rows, after, sweptAt);
    }

    /// <summary>Whether one of the devices has stored packets its status row does not count yet (the writer writes them when idle).</summary>
    public bool HasUnwrittenStatus(Func<int, bool>? owned = null) => _status.Any(s => s.Value.Unwritten > 0 && (owned?.Invoke(s.Key) ?? true));

    /// <summary>Batches still to be written with the conflict checks, after one that repeated stored data.</summary>
    private int _checkedBatches;

    /// <summary>PostgreSQL batches written with the conflict checks so far (for tests).</summary>
    internal int CheckedWrites => Volatile.Read(ref _checkedWrites);
    private int _checkedWrites;

    /// <summary>
    /// After a batch that repeated stored data, this many batches are written with the conflict checks
    /// from the start: repeats come in runs (a logger sending its history again after an outage).
    /// </summary>
    internal const int CheckedBatchesAfterRepeat = 50;

    /// <summary>
    /// One statement: the keys (duplicates), the archive rows, their readings and the devices' last-seen
    /// rows, each table's rows sent as arrays (unnest). What the key insert returns tells which
    /// candidates are new; the archive's RETURNING gives the ids the readings point to.
    /// Repeats of stored data are rare, and ON CONFLICT looks each row up in the index before inserting
    /// it, which cost PostgreSQL a third of its time under load. So a batch is first written without
    /// it: a repeat then breaks a unique index, the statement (its own transaction) is undone, and the
    /// batch is written again with the checks.
    /// </summary>
    private IngestOutcome[] WritePostgreSql(NpgsqlConnection conn, IReadOnlyList<IngestRecord> batch, bool[] candidate,
        (long Seq, byte[] Prev, byte[] Hash)[] chain, List<StatusRow> status, List<(int OutletId, DateOnly Day)> recompute)
    {
        var n = batch.Count;
        var keys = Enumerable.Range(0, n).Where(i => candidate[i]).ToArray();
        var readings = batch.Sum(r => r.Readings.Count);
        var (gRow, gOutlet, gFactor, gKind, gTime, gFlag) = (new int[readings], new int[readings], new string[readings], new short[readings], new DateTime[readings], new string[readings]);
        var gValues = new double?[5][];
        for (var c = 0; c < 5; c++) gValues[c] = new double?[readings];
        var g = 0;
        for (var i = 0; i < n; i++)
            foreach (var x in batch[i].Readings)
            {
                (gRow[g], gOutlet[g], gFactor[g], gKind[g], gTime[g], gFlag[g]) = (i + 1, batch[i].OutletId, x.FactorCode, (short)x.Kind, x.TimeUtc, x.Flag);
                (gValues[0][g], gValues[1][g], gValues[2][g], gValues[3][g], gValues[4][g]) = (x.Value, x.Min, x.Max, x.Cou, x.Corrected);
                g++;
            }

        if (Volatile.Read(ref _checkedBatches) > 0)
            Interlocked.Decrement(ref _checkedBatches);
        else
            try
            {
                return Run(Unchecked);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName != ChainIndex)
            {
                Interlocked.Exchange(ref _checkedBatches, CheckedBatchesAfterRepeat);
            }
        Interlocked.Increment(ref _checkedWrites);
        return Run(Checked);

        IngestOutcome[] Run(string statement)
        {
            // The statement's estimated cost is high enough for PostgreSQL to compile it with LLVM first,
            // which takes longer than running it: JIT is turned off for the session (the pool resets it).
            using var batchCommand = conn.CreateBatch();
            batchCommand.BatchCommands.Add(new NpgsqlBatchCommand("SET jit = off"));
            var cmd = new NpgsqlBatchCommand(statement);
            batchCommand.BatchCommands.Add(cmd);
            void Add<T>(string name, T[] values) => cmd.Parameters.Add(new NpgsqlParameter<T[]>(name, values));
            // Times are UTC instants; said so, so that an empty array has the same type as a full one.
            void AddTimes(string name, DateTime[] values) =>
                cmd.Parameters.Add(new NpgsqlParameter<DateTime[]>(name, NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = values });
            Add("kd", keys.Select(i => batch[i].DeviceId).ToArray());
            Add("kc", keys.Select(i => batch[i].Cn).ToArray());
            AddTimes("kt", keys.Select(i => batch[i].DataTimeUtc!.Value).ToArray());
            Add("rd", batch.Select(r => r.DeviceId).ToArray());
            Add("rs", chain.Select(c => c.Seq).ToArray());
            AddTimes("ra", batch.Select(r => r.ReceivedAtUtc).ToArray());
            Add("rp", batch.Select(r => r.Peer).ToArray());
            Add("rc", batch.Select(r => r.Cn).ToArray());
            Add("rf", batch.Select(r => r.Frame).ToArray());
            Add("rh0", chain.Select(c => c.Prev).ToArray());
            Add("rh", chain.Select(c => c.Hash).ToArray());
            Add("rk", candidate);
            // Keyed but not a candidate: a repeat within the batch.
            Add("rr", batch.Select((r, i) => !candidate[i] && r.Keyed).ToArray());
            AddTimes("rt", batch.Select(r => r.DataTimeUtc ?? DateTime.UnixEpoch).ToArray());
            Add("rn", batch.Select(r => r.Readings.Count).ToArray());
            Add("gr", gRow);
            Add("go", gOutlet);
            Add("gf", gFactor);
            Add("gk", gKind);
            AddTimes("gt", gTime);
            for (var c = 0; c < 5; c++) Add("g" + c, gValues[c]);
            Add("gl", gFlag);
            Add("sd", status.Select(d => d.DeviceId).ToArray());
            AddTimes("sa", status.Select(d => d.LastSeenUtc).ToArray());
            Add("sp", status.Select(d => d.Peer).ToArray());
            Add("sn", status.Select(d => d.Packets).ToArray());
            Add("qo", recompute.Select(q => q.OutletId).ToArray());
            Add("qd", recompute.Select(q => q.Day).ToArray());

            var outcomes = new IngestOutcome[n];
            using var reader = batchCommand.ExecuteReader();
            do
                while (reader.Read())
                {
                    var i = (int)reader.GetInt64(0) - 1;
                    var duplicate = reader.GetBoolean(2);
                    outcomes[i] = new IngestOutcome(reader.GetInt64(1), duplicate, duplicate ? 0 : batch[i].Readings.Count);
                }
            while (reader.NextResult());
            return outcomes;
        }
    }

    // Rows are numbered from 1 in the batch's order (ord); readings name their packet's number (row).
    private static readonly string Checked = Statement(checkConflicts: true), Unchecked = Statement(checkConflicts: false);

    private static string Statement(bool checkConflicts) => $"""
        WITH k AS (
            INSERT INTO "PacketKeys" ({Quoted(KeyColumns)}) SELECT * FROM unnest(@kd, @kc, @kt) {(checkConflicts ? KeyInsertTail : KeyReturning)}),
        src AS (
            SELECT u.*, (u.candidate AND k."DeviceId" IS NULL) OR u.repeat AS dup
            FROM unnest(@rd, @rs, @ra, @rp, @rc, @rf, @rh0, @rh, @rk, @rr, @rt, @rn) WITH ORDINALITY
                AS u(dev, seq, at, peer, cn, frame, prev, hash, candidate, repeat, dt, readings, ord)
            LEFT JOIN k ON k."DeviceId" = u.dev AND k."Cn" = u.cn AND k."DataTimeUtc" = u.dt),
        r AS (
            INSERT INTO "RawPackets" ({Quoted(RawColumns.Skip(1))})
            SELECT dev, seq, at, peer, cn, frame, prev, hash, dup, CASE WHEN dup THEN 0 ELSE readings END FROM src ORDER BY ord
            RETURNING "Id", "DeviceId", "Seq", "Duplicate"),
        numbered AS (
            SELECT src.ord, r."Id", r."Duplicate" FROM r JOIN src ON src.dev = r."DeviceId" AND src.seq = r."Seq"),
        g AS (
            INSERT INTO "Readings" ({Quoted(ReadingColumns)})
            SELECT x.outlet, x.factor, x.kind, x.at, x.v, x.mn, x.mx, x.cou, x.zs, x.flag, numbered."Id"
            FROM unnest(@gr, @go, @gf, @gk, @gt, @g0, @g1, @g2, @g3, @g4, @gl) WITH ORDINALITY
                AS x(row, outlet, factor, kind, at, v, mn, mx, cou, zs, flag, ord)
            JOIN numbered ON numbered.ord = x.row AND NOT numbered."Duplicate"
            ORDER BY x.ord
            {(checkConflicts ? "ON CONFLICT DO NOTHING" : "")}),
        s AS (
            INSERT INTO "DeviceStatuses" ({Quoted(StatusColumns)}) SELECT * FROM unnest(@sd, @sa, @sp, @sn) {StatusUpsertTail}),
        q AS (
            INSERT INTO "RecomputeRequests" ("OutletId", "FromDay") SELECT * FROM unnest(@qo, @qd) ORDER BY 1 {RecomputeQueue.UpsertTail})
        SELECT ord, "Id", "Duplicate" FROM numbered
        """;

    /// <summary>The same, through single-row statements in the open transaction.</summary>
    private static IngestOutcome[] WriteSqlite(DbConnection conn, DbTransaction tx, IReadOnlyList<IngestRecord> batch, bool[] candidate,
        (long Seq, byte[] Prev, byte[] Hash)[] chain, List<StatusRow> status, List<(int OutletId, DateOnly Day)> recompute)
    {
        var candidates = Enumerable.Range(0, batch.Count).Where(i => candidate[i]).ToList();
        var inserted = Insert(conn, tx, "PacketKeys", KeyColumns,
            candidates.Select(i => new object?[] { batch[i].DeviceId, batch[i].Cn, batch[i].DataTimeUtc }).ToList(), KeyInsertTail);
        var keys = inserted.Select(row => (Convert.ToInt32(row[0]), Convert.ToInt16(row[1]), AsUtc(row[2]))).ToHashSet();
        var fresh = candidates.Where(i => keys.Contains((batch[i].DeviceId, batch[i].Cn, batch[i].DataTimeUtc!.Value))).ToHashSet();

        // The embedded database has this one writer: ids can be given out here, saving a read-back per row.
        var next = MaxId(conn, tx) + 1;
        var outcomes = new IngestOutcome[batch.Count];
        var rows = new List<object?[]>(batch.Count);
        var readingRows = new List<object?[]>();
        for (var i = 0; i < batch.Count; i++)
        {
            var r = batch[i];
            var id = next++;
            var duplicate = r.Keyed && !fresh.Contains(i);
            outcomes[i] = new IngestOutcome(id, duplicate, duplicate ? 0 : r.Readings.Count);
            rows.Add([id, r.DeviceId, chain[i].Seq, r.ReceivedAtUtc, r.Peer, r.Cn, r.Frame, chain[i].Prev, chain[i].Hash, duplicate, outcomes[i].Readings]);
            // A period already stored stays as it was.
            if (!duplicate)
                foreach (var x in r.Readings)
                    readingRows.Add([r.OutletId, x.FactorCode, (short)x.Kind, x.TimeUtc, x.Value, x.Min, x.Max, x.Cou, x.Corrected, x.Flag, id]);
        }
        Insert(conn, tx, "RawPackets", RawColumns, rows, "");
        Insert(conn, tx, "Readings", ReadingColumns, readingRows, "ON CONFLICT DO NOTHING");
        Insert(conn, tx, "DeviceStatuses", StatusColumns, status.Select(d => new object?[] { d.DeviceId, d.LastSeenUtc, d.Peer, d.Packets }).ToList(), StatusUpsertTail);
        Insert(conn, tx, "RecomputeRequests", ["OutletId", "FromDay"], recompute.Select(q => new object?[] { q.OutletId, q.Day }).ToList(), RecomputeQueue.UpsertTail);
        return outcomes;
    }

    private static string Quoted(IEnumerable<string> columns) => string.Join(", ", columns.Select(c => $"\"{c}\""));

    private static long MaxId(DbConnection conn, DbTransaction tx)
    {
        using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT COALESCE(MAX(\"Id\"), 0) FROM \"RawPackets\"";
        return Convert.ToInt64(cmd.ExecuteScalar());
    }

    /// <summary>Forgets the cached chain heads (after a failed batch, the database is the truth).</summary>
    public void Reset() => _heads.Clear();

    private (long Seq, byte[] Hash) Head(DbConnection conn, DbTransaction? tx, int deviceId)
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
