using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Zongliang.Web.Features.Ingestion;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.EntityFrameworkCore;
using Xunit;
using Zongliang.Data.Monitoring;
using Zongliang.Domain.Common;
using Zongliang.Domain.Monitoring;
using Zongliang.Domain.Registry;
using Zongliang.Hj212;
using Zongliang.Web.Tests.Infrastructure;

namespace Zongliang.Web.Tests.Ingestion;

/// <summary>
/// Data loggers over real TCP against the running host: authentication, answers after durability,
/// the 2005 form, duplicates, split packets, time requests, bad input. Runs on SQLite and PostgreSQL.
/// </summary>
public abstract class ListenerTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : ZongliangFactory, IRealServer
{
    protected virtual void RequireDatabase() { }

    protected TFactory Factory => factory;

    protected sealed record Subject(int Id, int OutletId, string Mn, string Pw);

    /// <summary>The n-th networked device (each test takes its own, so tests do not meet in one device's data).</summary>
    protected Task<Subject> NetworkedAsync(int n, bool old = false)
    {
        RequireDatabase();
        return NetworkedQueryAsync(n, old);
    }

    private Task<Subject> NetworkedQueryAsync(int n, bool old) => factory.QueryAsync(db => db.Devices
        .Where(d => d.State == DeviceState.Networked && (old ? d.Mn.Length == 14 : d.Mn.Length == 24))
        .OrderBy(d => d.Id).Skip(n).Select(d => new Subject(d.Id, d.OutletId, d.Mn, d.AccessPassword)).FirstAsync());

    /// <summary>A minute record (2051) of a device for an outlet, as the listener hands it to the store: one reading per factor.</summary>
    protected static IngestRecord MinuteRecord(Subject device, int outletId, DateTime at, int minute, params (string Factor, double Value)[] values) =>
        new(device.Id, outletId, "test", DateTime.UtcNow, Encoding.ASCII.GetBytes($"{device.Mn} {minute} {values.FirstOrDefault().Value}"),
            (short)ReadingKind.Minute, at.AddMinutes(minute),
            [.. values.Select(v => new Reading { OutletId = outletId, FactorCode = v.Factor, Kind = ReadingKind.Minute, TimeUtc = at.AddMinutes(minute), Value = v.Value, Flag = "N" })]);

    private async Task<LoggerClient> ConnectAsync()
    {
        RequireDatabase();
        _ = factory.BaseUrl; // starts the host
        return await LoggerClient.ConnectAsync(factory.Hj212Port);
    }

    private static string Minute(Subject d, string qn, string dataTime, string cp, int flag = 5) =>
        Hj212Writer.Segment(qn, "32", "2051", d.Pw, d.Mn, flag, $"DataTime={dataTime};{cp}");

    [Fact]
    public async Task ANetworkedDeviceIsAnsweredOnlyOnceItsDataIsStored()
    {
        var d = await NetworkedAsync(0);
        await using var logger = await ConnectAsync();
        await logger.SendAsync(Minute(d, "20261101101000123", "20261101100000", "w01018-Avg=45.2,w01018-Max=50.1,w01018-Flag=N;w21003-Avg=3.1,w21003-Flag=N"));
        var answer = await logger.ReceiveAsync();

        Assert.NotNull(answer);
        Assert.Equal(("9014", "91", "20261101101000123", d.Mn, 4), (answer.Cn, answer.St, answer.Qn!, answer.Mn, answer.Flag!.Value));
        // Asked right after the answer, with no waiting: the data is already there.
        var readings = await factory.QueryAsync(db => db.Readings.Where(r => r.OutletId == d.OutletId && r.Kind == ReadingKind.Minute && r.RawPacketId != 0).ToListAsync());
        var cod = Assert.Single(readings, r => r.FactorCode == "w01018");
        Assert.Equal((45.2, 50.1, "N"), (cod.Value!.Value, cod.Max!.Value, cod.Flag));
        Assert.Equal(new DateTime(2026, 11, 1, 2, 0, 0, DateTimeKind.Utc), cod.TimeUtc); // 10:00 Beijing time
        var raw = await factory.QueryAsync(db => db.RawPackets.SingleAsync(p => p.DeviceId == d.Id));
        Assert.Equal((1L, (short)2051, false, 2), (raw.Seq, raw.Cn, raw.Duplicate, raw.Readings));
        Assert.NotNull(await factory.QueryAsync(db => db.DeviceStatuses.SingleOrDefaultAsync(s => s.DeviceId == d.Id)));
    }

    [Fact]
    public async Task AnOldLoggerReportsIn2005FormWithoutAskingForAnAnswer()
    {
        var d = await NetworkedAsync(0, old: true);
        await using var logger = await ConnectAsync();
        await logger.SendAsync(Hj212Writer.Segment(null, "32", "2061", d.Pw, d.Mn, null, "DataTime=20261101090000;011-Avg=38.5,011-Flag=N;B01-Cou=120.5"));
        Assert.Null(await logger.ReceiveAsync(TimeSpan.FromMilliseconds(800)));
        var readings = await Eventually(() => factory.QueryAsync(db => db.Readings.Where(r => r.OutletId == d.OutletId && r.Kind == ReadingKind.Hour).ToListAsync()));
        Assert.Equal(38.5, readings.Single(r => r.FactorCode == "w01018").Value);
        Assert.Equal(120.5, readings.Single(r => r.FactorCode == "w00000").Cou);
    }

    [Fact]
    public async Task WrongPasswordsUnknownAndUnnetworkedDevicesAreRefusedAndNothingIsStored()
    {
        var d = await NetworkedAsync(1);
        var registered = await factory.QueryAsync(db => db.Devices.Where(x => x.State == DeviceState.Installed).Select(x => new Subject(x.Id, x.OutletId, x.Mn, x.AccessPassword)).FirstAsync());
        await using var logger = await ConnectAsync();
        await logger.SendAsync(Minute(d with { Pw = "999999" }, "20261101101000001", "20261101100000", "w01018-Avg=1"));
        Assert.Equal(("9011", "QnRtn=3"), Answer(await logger.ReceiveAsync()));
        await logger.SendAsync(Minute(d with { Mn = "FFFFFFFFFFFFFFFFFFFFFFFF" }, "20261101101000002", "20261101100000", "w01018-Avg=1"));
        Assert.Equal(("9011", "QnRtn=4"), Answer(await logger.ReceiveAsync()));
        await logger.SendAsync(Minute(registered, "20261101101000003", "20261101100000", "w01018-Avg=1"));
        Assert.Equal(("9011", "QnRtn=2"), Answer(await logger.ReceiveAsync()));

        Assert.False(await factory.QueryAsync(db => db.RawPackets.AnyAsync(p => p.DeviceId == d.Id || p.DeviceId == registered.Id)));
    }

    [Fact]
    public async Task BadFramesAreSkippedAndTheConnectionCarriesOn()
    {
        var d = await NetworkedAsync(2);
        await using var logger = await ConnectAsync();
        var good = Hj212Writer.Frame(Minute(d, "20261101101000011", "20261101100000", "w01018-Avg=12"));
        var badCrc = Hj212Writer.Frame(Minute(d, "20261101101000012", "20261101101000", "w01018-Avg=13"));
        badCrc[^3] = badCrc[^3] == (byte)'0' ? (byte)'1' : (byte)'0';
        await logger.SendRawAsync([.. "garbage\0\xff"u8, .. badCrc, .. "##9999QN=1"u8, .. "##0010ABC"u8, .. good]);
        var answer = await logger.ReceiveAsync();
        Assert.Equal("20261101101000011", answer!.Qn);
        Assert.Null(await logger.ReceiveAsync(TimeSpan.FromMilliseconds(500)));
        Assert.Equal(1, await factory.QueryAsync(db => db.RawPackets.CountAsync(p => p.DeviceId == d.Id)));
    }

    [Fact]
    public async Task TheListenerMeasuresItsShareOfAFramesAckLatencyAndCountsWhatItRefuses()
    {
        var d = await NetworkedAsync(18);
        await using var logger = await ConnectAsync();
        var measured = new System.Collections.Concurrent.ConcurrentQueue<(string Name, double Value, string? Reason)>();
        using var listener = new MeterListener();
        var scope = factory.Services.GetRequiredService<IMeterFactory>(); // this host's meters, not another test host's
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == IngestMetrics.MeterName && instrument.Meter.Scope == scope) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((i, value, tags, _) => measured.Enqueue((i.Name, value, null)));
        listener.SetMeasurementEventCallback<int>((i, value, tags, _) => measured.Enqueue((i.Name, value, null)));
        listener.SetMeasurementEventCallback<long>((i, value, tags, _) =>
            measured.Enqueue((i.Name, value, tags.ToArray().FirstOrDefault(t => t.Key == "reason").Value as string)));
        listener.Start();

        var badCrc = Hj212Writer.Frame(Minute(d, "20261101101000041", "20261101100000", "w01018-Avg=13"));
        badCrc[^3] = badCrc[^3] == (byte)'0' ? (byte)'1' : (byte)'0';
        await logger.SendRawAsync(badCrc);
        await logger.SendAsync(Minute(d with { Pw = "999999" }, "20261101101000042", "20261101100000", "w01018-Avg=1"));
        Assert.Equal("9011", (await logger.ReceiveAsync())!.Cn);
        var roundTrip = System.Diagnostics.Stopwatch.StartNew();
        await logger.SendAsync(Minute(d, "20261101101000043", "20261101100000", "w01018-Avg=12,w01018-Flag=N"));
        Assert.Equal("9014", (await logger.ReceiveAsync())!.Cn);
        var seen = roundTrip.Elapsed.TotalMilliseconds;

        var answered = Assert.Single(measured, m => m.Name == "zongliang.hj212.answered");
        // The server's share: after the frame arrived, before its answer left; no more than the logger waited.
        Assert.InRange(answered.Value, 0, seen);
        var queued = Assert.Single(measured, m => m.Name == "zongliang.ingest.queued");
        var transaction = Assert.Single(measured, m => m.Name == "zongliang.ingest.transaction");
        Assert.InRange(queued.Value + transaction.Value, 0, answered.Value);
        Assert.Equal(1, Assert.Single(measured, m => m.Name == "zongliang.ingest.batch_frames").Value);
        Assert.Equal(["authentication", "frame"], measured.Where(m => m.Name == "zongliang.hj212.refused").Select(m => m.Reason).Order());
    }

    [Fact]
    public async Task AnOverlongFactorCodeStaysInTheArchiveAndDoesNotSpoilTheBatch()
    {
        var d = await NetworkedAsync(8);
        await using var logger = await ConnectAsync();
        var code = "w" + new string('9', 40);
        await logger.SendAsync(Minute(d, "20261101101000031", "20261101100000", $"{code}-Avg=5,{code}-Flag=N;w01018-Avg=7,w01018-Flag=N;x=1"));
        Assert.Equal("9014", (await logger.ReceiveAsync())!.Cn);
        var codes = await factory.QueryAsync(db => db.Readings.Where(r => r.OutletId == d.OutletId && r.Kind == ReadingKind.Minute && r.RawPacketId != 0).Select(r => r.FactorCode).ToListAsync());
        Assert.Contains("w01018", codes);
        Assert.DoesNotContain(code, codes);
    }

    [Fact]
    public async Task AnOutletsPageIsToldOfReadingsOnceTheyAreStoredAndNotOfARepeat()
    {
        var d = await NetworkedAsync(7);
        var store = factory.Services.GetRequiredService<IngestStore>();
        var feed = new ReadingsFeed();
        using var page = feed.Subscribe(d.OutletId);
        using var otherPage = feed.Subscribe(d.OutletId + 100_000);
        var at = new DateTime(2026, 10, 20, 2, 0, 0, DateTimeKind.Utc);
        List<IngestItem> Batch() => [new IngestItem(MinuteRecord(d, d.OutletId, at, 0, ("w01018", 12.5)))];

        var first = Batch();
        Assert.Equal(0, IngestWriter.Store(store, first, null, NullLogger.Instance, feed: feed));
        Assert.True((await first[0].Stored.Task).Readings > 0);
        Assert.True(await page.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
        Assert.False(await otherPage.WaitAsync(TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken));

        // The same packet again: archived as a repeat, no new readings, nothing to tell.
        var repeat = Batch();
        Assert.Equal(0, IngestWriter.Store(store, repeat, null, NullLogger.Instance, feed: feed));
        Assert.True((await repeat[0].Stored.Task).Duplicate);
        Assert.False(await page.WaitAsync(TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AFrameTheDatabaseRefusesFailsAloneAndTheRestOfItsBatchIsStored()
    {
        var d = await NetworkedAsync(9);
        var store = factory.Services.GetRequiredService<IngestStore>();
        var at = new DateTime(2026, 10, 15, 2, 0, 0, DateTimeKind.Utc);
        // Seven frames in one batch; the fifth carries a reading without a factor code, which the
        // database refuses (NOT NULL).
        var items = Enumerable.Range(0, 7).Select(i => new IngestItem(new IngestRecord(d.Id, d.OutletId, "test", DateTime.UtcNow,
            Encoding.ASCII.GetBytes($"frame {i}"), (short)ReadingKind.Minute, at.AddMinutes(i),
            [new Reading { OutletId = d.OutletId, FactorCode = i == 4 ? null! : "w01018", Kind = ReadingKind.Minute, TimeUtc = at.AddMinutes(i), Value = i, Flag = "N" }]))).ToList();

        var failed = IngestWriter.Store(store, items, null, NullLogger.Instance);

        Assert.Equal(1, failed);
        await Assert.ThrowsAnyAsync<Exception>(() => items[4].Stored.Task);
        var stored = await Task.WhenAll(items.Where((_, i) => i != 4).Select(i => i.Stored.Task));
        Assert.All(stored, o => Assert.False(o.Duplicate));
        var values = await factory.QueryAsync(db => db.Readings
            .Where(r => r.OutletId == d.OutletId && r.Kind == ReadingKind.Minute && r.TimeUtc >= at && r.TimeUtc < at.AddMinutes(7))
            .OrderBy(r => r.TimeUtc).Select(r => r.Value).ToListAsync());
        Assert.Equal([0.0, 1, 2, 3, 5, 6], values.Select(v => v!.Value));
        // The archive chain has no gap where the refused frame was.
        var seqs = await factory.QueryAsync(db => db.RawPackets.Where(p => stored.Select(o => o.RawPacketId).Contains(p.Id)).OrderBy(p => p.Seq).Select(p => p.Seq).ToListAsync());
        Assert.Equal(Enumerable.Range((int)seqs[0], 6).Select(x => (long)x), seqs);
    }

    [Fact]
    public async Task ABatchWithRepeatsWithinItAndOfEarlierBatchesKeepsTheFirstOfEach()
    {
        var (a, b) = (await NetworkedAsync(10), await NetworkedAsync(11));
        var store = factory.Services.GetRequiredService<IngestStore>();
        var at = new DateTime(2026, 9, 20, 2, 0, 0, DateTimeKind.Utc);
        IngestRecord Minute(Subject d, int minute, double value) => MinuteRecord(d, d.OutletId, at, minute, ("w01018", value), ("w21003", value / 10));
        IngestRecord Notice(Subject d) => new(d.Id, d.OutletId, "test", DateTime.UtcNow, Encoding.ASCII.GetBytes("time request"), 1013, null, []);

        var first = store.Write([Minute(a, 0, 10), Minute(b, 0, 20)]);
        // Repeats of the first batch (a 0, b 0), a repeat within this batch (a 1 twice), a frame without readings, and new data.
        var second = store.Write([Minute(a, 0, 11), Minute(a, 1, 12), Notice(a), Minute(b, 0, 21), Minute(a, 1, 13), Minute(b, 2, 22)]);

        Assert.All(first, o => Assert.Equal((false, 2), (o.Duplicate, o.Readings)));
        Assert.Equal([(true, 0), (false, 2), (false, 0), (true, 0), (true, 0), (false, 2)], second.Select(o => (o.Duplicate, o.Readings)));
        var ids = first.Concat(second).Select(o => o.RawPacketId).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());

        // The first value of each period stays, and each reading points at the packet it came from.
        var readings = await factory.QueryAsync(db => db.Readings.Where(r => (r.OutletId == a.OutletId || r.OutletId == b.OutletId)
            && r.Kind == ReadingKind.Minute && r.TimeUtc >= at && r.TimeUtc < at.AddMinutes(3) && r.FactorCode == "w01018").ToListAsync());
        Assert.Equal([(a.OutletId, 0, 10.0, first[0].RawPacketId), (a.OutletId, 1, 12.0, second[1].RawPacketId),
                (b.OutletId, 0, 20.0, first[1].RawPacketId), (b.OutletId, 2, 22.0, second[5].RawPacketId)],
            readings.Select(r => (r.OutletId, (int)(r.TimeUtc - at).TotalMinutes, r.Value!.Value, r.RawPacketId)).OrderBy(r => r.OutletId).ThenBy(r => r.Item2));
        // Every frame is archived, in order, with its flag and count; the chains go on across batches.
        var raws = await factory.QueryAsync(db => db.RawPackets.Where(p => ids.Contains(p.Id)).ToListAsync());
        foreach (var (o, i) in first.Concat(second).Select((o, i) => (o, i)))
        {
            var raw = raws.Single(p => p.Id == o.RawPacketId);
            Assert.Equal((o.Duplicate, o.Readings), (raw.Duplicate, raw.Readings));
        }
        Assert.Equal([1L, 2, 3, 4, 5], raws.Where(p => p.DeviceId == a.Id).OrderBy(p => p.Id).Select(p => p.Seq));
        Assert.Equal([1L, 2, 3], raws.Where(p => p.DeviceId == b.Id).OrderBy(p => p.Id).Select(p => p.Seq));
    }

    [Fact]
    public async Task ADevicesStatusIsWrittenAtMostEveryIntervalAndCountsEveryPacket()
    {
        var (d, other) = (await NetworkedAsync(14), await NetworkedAsync(16));
        var store = factory.Services.GetRequiredService<IngestStore>();
        IngestRecord Frame(int i, DateTime receivedAt, Subject? from = null) =>
            new((from ?? d).Id, (from ?? d).OutletId, $"10.0.0.{i}:5000", receivedAt, Encoding.ASCII.GetBytes($"frame {i}"), 2011, null, []);
        Task<Zongliang.Domain.Monitoring.DeviceStatus> StatusAsync() => factory.QueryAsync(db => db.DeviceStatuses.AsNoTracking().SingleAsync(s => s.DeviceId == d.Id));
        var t0 = DateTime.UtcNow;
        // The demo history counts as reports already.
        var seeded = (await StatusAsync()).Packets;

        store.Write([Frame(1, t0)]);
        store.Write([Frame(2, t0.AddMilliseconds(500)), Frame(3, t0.AddMilliseconds(900))]);
        // The first packet is written at once; the next two within the interval wait.
        Assert.Equal((seeded + 1, "10.0.0.1:5000"), ((await StatusAsync()).Packets, (await StatusAsync()).LastPeer));

        // Once the interval is up they are written with a batch of another device only (the writer is never
        // idle under load), with the time and peer of the last of them. Quiet devices are looked for once an
        // interval, so this is at most two intervals after their last packet.
        await Task.Delay(2 * IngestStore.StatusInterval + TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
        store.Write([Frame(4, DateTime.UtcNow, other)]);
        var status = await StatusAsync();
        Assert.Equal((seeded + 3, "10.0.0.3:5000"), (status.Packets, status.LastPeer));
        Assert.Equal(t0.AddMilliseconds(900), status.LastSeenUtc, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task AWriteAfterAnotherInstanceExtendedTheChainReadsTheHeadAgainInsteadOfFailing()
    {
        // Issue 16, point 14: "the archive chain head re-read on conflict instead of failing a batch". Two
        // stores are two instances; the device reconnected to the other one between two of its packets.
        var d = await NetworkedAsync(24);
        var scopes = factory.Services.GetRequiredService<IServiceScopeFactory>();
        var (a, b) = (new IngestStore(scopes), new IngestStore(scopes));
        IngestRecord Frame(int i) => new(d.Id, d.OutletId, "test", DateTime.UtcNow, Encoding.ASCII.GetBytes($"chain {i}"), 2011, null, []);

        a.Write([Frame(1)]);
        b.Write([Frame(2)]);
        var outcomes = a.Write([Frame(3), Frame(4)]);

        Assert.Equal(2, outcomes.Length);
        Assert.Equal(1, a.ChainConflicts);
        Assert.Equal([1L, 2, 3, 4], await factory.QueryAsync(db => db.RawPackets.Where(p => p.DeviceId == d.Id).OrderBy(p => p.Id).Select(p => p.Seq).ToListAsync()));
        var report = await factory.QueryAsync(db => Zongliang.Data.Monitoring.ArchiveVerifier.VerifyAsync(db));
        Assert.DoesNotContain(report.Problems, p => p.DeviceId == d.Id);
    }

    [Fact]
    public async Task MinuteDataAreStoredWithARequestToRecomputeTheirOutletFromTheirEarliestDay()
    {
        // Issue 16, point 14: "outlets to recompute written as rows in the ingest transaction" (not in memory,
        // where a restart lost them). The request keeps the earliest Beijing day it was asked for.
        var d = await NetworkedAsync(25);
        var store = factory.Services.GetRequiredService<IngestStore>();
        Task<RecomputeRequest?> RequestAsync() => factory.QueryAsync(db => db.RecomputeRequests.AsNoTracking().SingleOrDefaultAsync(r => r.OutletId == d.OutletId));
        // Held by an instance that is busy with it, so that this host's job does not take the requests away
        // while the test looks at them: they collect in FromDay meanwhile.
        await factory.QueryAsync(async db =>
        {
            await db.RecomputeRequests.Where(r => r.OutletId == d.OutletId).ExecuteDeleteAsync();
            db.RecomputeRequests.Add(new RecomputeRequest { OutletId = d.OutletId, ClaimedBy = "elsewhere", ClaimedUntilUtc = DateTime.UtcNow.AddHours(1) });
            return await db.SaveChangesAsync();
        });
        var day = new DateTime(2026, 11, 20, 4, 0, 0, DateTimeKind.Utc); // 12:00 Beijing time

        store.Write([MinuteRecord(d, d.OutletId, day, 0, ("w01018", 20))]);
        Assert.Equal(new DateOnly(2026, 11, 20), (await RequestAsync())?.FromDay);
        store.Write([MinuteRecord(d, d.OutletId, day.AddDays(-3), 0, ("w01018", 21)), MinuteRecord(d, d.OutletId, day.AddDays(-2), 0, ("w01018", 22))]);
        Assert.Equal(new DateOnly(2026, 11, 17), (await RequestAsync())?.FromDay);
        store.Write([MinuteRecord(d, d.OutletId, day.AddDays(1), 0, ("w01018", 23))]);
        Assert.Equal(new DateOnly(2026, 11, 17), (await RequestAsync())?.FromDay);
        // Other commands ask for nothing.
        await factory.QueryAsync(db => db.RecomputeRequests.Where(r => r.OutletId == d.OutletId).ExecuteDeleteAsync());
        store.Write([new IngestRecord(d.Id, d.OutletId, "test", DateTime.UtcNow, Encoding.ASCII.GetBytes("status"), 2011, null, [])]);
        Assert.Null(await RequestAsync());
    }

    [Fact]
    public async Task FramesComingWithinTheBatchIntervalAreWrittenInOneTransaction()
    {
        var d = await NetworkedAsync(17);
        var ct = TestContext.Current.CancellationToken;
        // A writer of its own (the host's has its own queue), with a long interval so that timing cannot blur it.
        var options = Microsoft.Extensions.Options.Options.Create(new Hj212Options { BatchInterval = TimeSpan.FromMilliseconds(400), Writers = 1 });
        var queue = new IngestQueue(options, factory.Services.GetRequiredService<Zongliang.Data.DatabaseSettings>());
        var writer = new IngestWriter(queue, factory.Services.GetRequiredService<IngestStore>(), null!, new ReadingsFeed(), options, NullLogger<IngestWriter>.Instance);
        await writer.StartAsync(ct);

        // Twenty frames, one every 15 ms: each would be a transaction of its own without the interval.
        var stored = new List<Task<IngestOutcome>>();
        for (var i = 0; i < 20; i++)
        {
            stored.Add(queue.StoreAsync(new IngestRecord(d.Id, d.OutletId, "test", DateTime.UtcNow, Encoding.ASCII.GetBytes($"frame {i}"), 2011, null, []), ct));
            await Task.Delay(15, ct);
        }
        var outcomes = await Task.WhenAll(stored);
        await writer.StopAsync(ct);

        // The first at once, the others in one or two more batches; every one stored, in order.
        Assert.InRange(writer.Batches, 2, 3);
        var seqs = await factory.QueryAsync(db => db.RawPackets.Where(p => outcomes.Select(o => o.RawPacketId).Contains(p.Id)).OrderBy(p => p.Id).Select(p => p.Seq).ToListAsync());
        Assert.Equal(20, seqs.Count);
        Assert.Equal(seqs.Order(), seqs);
    }

    [Fact]
    public async Task TwoDevicesReportingTheSameMinuteOfOneOutletKeepTheFirstValue()
    {
        // Not a repeated packet (another device), yet the same period of the same outlet.
        var (a, b) = (await NetworkedAsync(12), await NetworkedAsync(13));
        var store = factory.Services.GetRequiredService<IngestStore>();
        var at = new DateTime(2026, 9, 21, 2, 0, 0, DateTimeKind.Utc);
        IngestRecord Minute(Subject d, int minute, double value) => MinuteRecord(d, a.OutletId, at, minute, ("w01018", value));

        var first = store.Write([Minute(a, 0, 10)]);
        var second = store.Write([Minute(b, 0, 99), Minute(b, 1, 11)]);

        Assert.Equal([false, false], second.Select(o => o.Duplicate));
        var values = await factory.QueryAsync(db => db.Readings.Where(r => r.OutletId == a.OutletId && r.Kind == ReadingKind.Minute
            && r.TimeUtc >= at && r.TimeUtc < at.AddMinutes(2)).OrderBy(r => r.TimeUtc).Select(r => new { r.Value, r.RawPacketId }).ToListAsync());
        Assert.Equal([(10.0, first[0].RawPacketId), (11.0, second[1].RawPacketId)], values.Select(v => (v.Value!.Value, v.RawPacketId)));
    }

    [Fact]
    public async Task ARepeatedPacketIsArchivedAgainButStoredOnce()
    {
        var d = await NetworkedAsync(3);
        await using var logger = await ConnectAsync();
        var first = Minute(d, "20261101101000021", "20261101100000", "w01018-Avg=20,w01018-Flag=N");
        var again = Minute(d, "20261101101500021", "20261101100000", "w01018-Avg=99,w01018-Flag=N"); // resent with another value
        await logger.SendAsync(first);
        await logger.SendAsync(again);
        Assert.NotNull(await logger.ReceiveAsync());
        Assert.NotNull(await logger.ReceiveAsync());
        var raws = await factory.QueryAsync(db => db.RawPackets.Where(p => p.DeviceId == d.Id).OrderBy(p => p.Seq).ToListAsync());
        Assert.Equal([false, true], raws.Select(r => r.Duplicate));
        var value = await factory.QueryAsync(db => db.Readings.Where(r => r.OutletId == d.OutletId && r.FactorCode == "w01018" && r.Kind == ReadingKind.Minute && r.RawPacketId != 0).Select(r => r.Value).SingleAsync());
        Assert.Equal(20, value);
    }

    [Fact]
    public async Task SplitPacketsAreEachAnsweredAndStoredAsOneMessage()
    {
        var d = await NetworkedAsync(4);
        await using var logger = await ConnectAsync();
        await logger.SendAsync(Hj212Writer.Segment("20261101090000534", "32", "2061", d.Pw, d.Mn, 7, "DataTime=20261101080000;w00000-Cou=63.0,w00000-Flag=N", 2, 1));
        Assert.Equal("20261101090000534", (await logger.ReceiveAsync())!.Qn);
        await logger.SendAsync(Hj212Writer.Segment("20261101090000535", "32", "2061", d.Pw, d.Mn, 7, "DataTime=20261101080000;w01018-Avg=40.1,w01018-Flag=N", 2, 2));
        Assert.Equal("20261101090000535", (await logger.ReceiveAsync())!.Qn);
        var codes = await factory.QueryAsync(db => db.Readings.Where(r => r.OutletId == d.OutletId && r.Kind == ReadingKind.Hour).Select(r => r.FactorCode).OrderBy(c => c).ToListAsync());
        Assert.Equal(["w00000", "w01018"], codes);
        Assert.Equal(2, await factory.QueryAsync(db => db.RawPackets.CountAsync(p => p.DeviceId == d.Id)));
    }

    [Fact]
    public async Task SplitPartsAcrossAReconnectAreStoredAsOneMessage()
    {
        // Part 1 on one connection, part 2 on the next (the logger's link dropped between them): both were
        // acknowledged, and the message's readings must be stored, though no connection saw both parts.
        var d = await NetworkedAsync(19);
        await using (var first = await ConnectAsync())
        {
            await first.SendAsync(Hj212Writer.Segment("20261101090000634", "32", "2061", d.Pw, d.Mn, 7, "DataTime=20261101070000;w00000-Cou=61.0,w00000-Flag=N", 2, 1));
            Assert.Equal("9014", (await first.ReceiveAsync())!.Cn);
        }
        await using var second = await ConnectAsync();
        await second.SendAsync(Hj212Writer.Segment("20261101090000635", "32", "2061", d.Pw, d.Mn, 7, "DataTime=20261101070000;w01018-Avg=41.5,w01018-Flag=N", 2, 2));
        Assert.Equal("9014", (await second.ReceiveAsync())!.Cn);
        var readings = await factory.QueryAsync(db => db.Readings.Where(r => r.OutletId == d.OutletId && r.Kind == ReadingKind.Hour).OrderBy(r => r.FactorCode).ToListAsync());
        Assert.Equal([("w00000", 61.0), ("w01018", 41.5)], readings.Select(r => (r.FactorCode, r.FactorCode == "w00000" ? r.Cou!.Value : r.Value!.Value)));
    }

    [Fact]
    public async Task ALoggerWithAResetClockIsArchivedAndAnsweredButItsDataAreKeptOutAndShownAsAClockFault()
    {
        // A logger whose clock battery was reset reports 2000-01-01: its packets are archived and answered
        // (and its clock set), but their values are not filed under 2000, which would have the aggregation
        // recompute every hour from 2000 to now. Then 0001-01-01, which once ended the connection.
        var d = await NetworkedAsync(20);
        await using var logger = await ConnectAsync();
        await logger.SendAsync(Minute(d, "20000101000100001", "20000101000000", "w01018-Avg=45.2,w01018-Flag=N"));
        Assert.Equal("9014", (await logger.ReceiveAsync())!.Cn);
        AssertSetsTheClockToNow(await logger.ReceiveAsync(), null);
        await logger.SendAsync(Minute(d, "00010101000100002", "00010101000000", "w01018-Avg=45.3,w01018-Flag=N"));
        Assert.Equal("9014", (await logger.ReceiveAsync())!.Cn);
        // The same connection goes on, and a plausible packet is stored as ever.
        await logger.SendAsync(Minute(d, "20261101101000003", "20261101100000", "w01018-Avg=45.4,w01018-Flag=N"));
        var answer = await logger.ReceiveAsync();
        Assert.Equal(("9014", "20261101101000003"), (answer!.Cn, answer.Qn!));

        Assert.Equal(3, await factory.QueryAsync(db => db.RawPackets.CountAsync(p => p.DeviceId == d.Id)));
        var stored = await factory.QueryAsync(db => db.Readings.Where(r => r.OutletId == d.OutletId && r.RawPacketId != 0 && r.FactorCode == "w01018").Select(r => r.Value).ToListAsync());
        Assert.Equal([45.4], stored);
        var fault = (await Eventually(() => factory.QueryAsync(db => db.DeviceClockFaults.Where(f => f.DeviceId == d.Id).ToListAsync()))).Single();
        Assert.Equal((DataTimeVerdict.BeforeRegistration, 2L, "0001-01-01 00:00:00"), (fault.Verdict, fault.Packets, fault.LastDataTime));

        var client = await factory.SignedInAsync("city");
        var page = await client.GetStringAsync($"/Registry/Device/{d.Id}", TestContext.Current.CancellationToken);
        Assert.Contains("时钟异常：数据时间早于设备登记时间", page);
    }

    [Fact]
    public async Task ValuesThatAreNotFiniteNumbersAreKeptOutOfTheReadings()
    {
        var d = await NetworkedAsync(21);
        await using var logger = await ConnectAsync();
        await logger.SendAsync(Minute(d, "20261101101000051", "20261101100000", "w01018-Avg=NaN,w01018-Flag=N;w21003-Avg=1e309,w21003-Flag=N;w00000-Avg=5.5,w00000-Flag=N"));
        Assert.Equal("9014", (await logger.ReceiveAsync())!.Cn);
        var codes = await factory.QueryAsync(db => db.Readings.Where(r => r.OutletId == d.OutletId && r.RawPacketId != 0 && r.Kind == ReadingKind.Minute).Select(r => r.FactorCode).ToListAsync());
        Assert.Equal(["w00000"], codes);
    }

    [Fact]
    public async Task APartAnnouncingMorePartsThanAllowedIsRefusedAndTheConnectionGoesOn()
    {
        var d = await NetworkedAsync(22);
        await using var logger = await ConnectAsync();
        await logger.SendAsync(Hj212Writer.Segment("20261101090000734", "32", "2061", d.Pw, d.Mn, 7, "DataTime=20261101060000;w01018-Avg=1", 999_999_999, 1));
        await logger.SendAsync(Minute(d, "20261101101000735", "20261101100000", "w01018-Avg=2"));
        Assert.Equal("20261101101000735", (await logger.ReceiveAsync())!.Qn);
        Assert.Equal(1, await factory.QueryAsync(db => db.RawPackets.CountAsync(p => p.DeviceId == d.Id)));
    }

    [Fact]
    public async Task AFrameAfterMoreGarbageThanTheFramersWindowInOneReadIsAnsweredAtOnce()
    {
        var d = await NetworkedAsync(23);
        await using var logger = await ConnectAsync();
        var garbage = Enumerable.Repeat((byte)'x', 100_000).ToArray();
        await logger.SendRawAsync([.. garbage, .. Hj212Writer.Frame(Minute(d, "20261101101000836", "20261101100000", "w01018-Avg=3"))]);
        Assert.Equal("20261101101000836", (await logger.ReceiveAsync(TimeSpan.FromSeconds(3)))?.Qn);
    }

    /// <summary>A 1012 that sets the logger's clock to the platform's (Beijing time, within a minute), for the pollutant asked about.</summary>
    private static void AssertSetsTheClockToNow(Hj212Packet? set, string? polId)
    {
        Assert.Equal("1012", set!.Cn);
        Assert.True(Hj212Number.TryParseTime(Encoding.ASCII.GetBytes(set.Fields.Single(f => f.Key == "SystemTime").Value), out var t, out _));
        Assert.InRange(t, DateTime.UtcNow.AddHours(8).AddMinutes(-1), DateTime.UtcNow.AddHours(8).AddMinutes(1));
        Assert.Equal(polId, set.Fields.SingleOrDefault(f => f.Key == "PolId").Value);
    }

    [Fact]
    public async Task ATimeCalibrationRequestGetsItsNoticeAnswerAndTheTime()
    {
        var d = await NetworkedAsync(5);
        await using var logger = await ConnectAsync();
        await logger.SendAsync(Hj212Writer.Segment("20261101085857223", "32", "1013", d.Pw, d.Mn, 5, "PolId=w01018"));
        var notice = await logger.ReceiveAsync();
        Assert.Equal(("9013", "20261101085857223"), (notice!.Cn, notice.Qn!));
        var set = await logger.ReceiveAsync();
        AssertSetsTheClockToNow(set, "w01018");
    }

    [Fact]
    public async Task ALoggerWhoseClockIsOffIsSetAndOneWithinTheToleranceIsLeftAlone()
    {
        var d = await NetworkedAsync(7);
        await using var logger = await ConnectAsync();
        string Clock(TimeSpan off) => Hj212Number.FormatTime(BeijingTime.FromUtc(DateTime.UtcNow) + off);

        // 20 s off, within the default minute, and no answer asked for (Flag=4, as in Appendix C): nothing
        // comes back, so the next frame the logger reads is the 9014 of the data sent after it.
        await logger.SendAsync(Hj212Writer.Segment("20261101085857001", "32", "1011", d.Pw, d.Mn, 4, $"PolId=w01018;SystemTime={Clock(TimeSpan.FromSeconds(20))}"));
        await logger.SendAsync(Minute(d, "20261101085857002", "20261101085800", "w01018-Avg=1.0"));
        var answer = await logger.ReceiveAsync();
        Assert.Equal(("9014", "20261101085857002"), (answer!.Cn, answer.Qn!));

        // Ten minutes slow: the platform sets the logger's clock to its own.
        await logger.SendAsync(Hj212Writer.Segment("20261101085857003", "32", "1011", d.Pw, d.Mn, 4, $"PolId=w01018;SystemTime={Clock(TimeSpan.FromMinutes(-10))}"));
        var set = await logger.ReceiveAsync();
        AssertSetsTheClockToNow(set, "w01018");
        // Both reports are in the archive, as every frame is.
        Assert.Equal(2, await factory.QueryAsync(db => db.RawPackets.CountAsync(p => p.DeviceId == d.Id && p.Cn == 1011)));

        // The device's page shows the last report: ten minutes slow (a second more with the transit), and set.
        var client = await factory.SignedInAsync("city");
        var page = await client.GetStringAsync($"/Registry/Device/{d.Id}", TestContext.Current.CancellationToken);
        var clock = page[page.IndexOf("id=\"clock\"", StringComparison.Ordinal)..];
        clock = clock[..clock.IndexOf("</dd>", StringComparison.Ordinal)];
        Assert.Matches("比平台慢 10 分 [01] 秒", clock);
        Assert.Contains("已下发校时", clock);
    }

    [Fact]
    public async Task TheArchiveChainShowsAnAlteredAndADeletedPacket()
    {
        var d = await NetworkedAsync(6);
        await using (var logger = await ConnectAsync())
        {
            for (var i = 0; i < 4; i++)
            {
                await logger.SendAsync(Minute(d, $"2026110111{i:D2}00000", $"202611011{i}0000", $"w01018-Avg={i}"));
                Assert.NotNull(await logger.ReceiveAsync());
            }
        }
        await factory.QueryAsync(async db =>
        {
            Assert.True((await ArchiveVerifier.VerifyAsync(db)).Intact);
            await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE \"RawPackets\" SET \"Peer\" = 'forged' WHERE \"DeviceId\" = {d.Id} AND \"Seq\" = 2");
            await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM \"RawPackets\" WHERE \"DeviceId\" = {d.Id} AND \"Seq\" = 3");
            var report = await ArchiveVerifier.VerifyAsync(db);
            var mine = report.Problems.Where(p => p.DeviceId == d.Id).ToList();
            Assert.Contains(mine, p => p.Seq == 2 && p.Problem.Contains("altered"));
            Assert.Contains(mine, p => p.Seq == 3 && p.Problem.Contains("missing"));
            return 0;
        });
    }

    private static (string, string) Answer(Hj212Packet? p) => (p!.Cn, p.Cp);

    private static async Task<List<T>> Eventually<T>(Func<Task<List<T>>> query)
    {
        for (var i = 0; i < 50; i++)
        {
            var r = await query();
            if (r.Count > 0) return r;
            await Task.Delay(100);
        }
        return await query();
    }
}

public sealed class ListenerTestsOnSqlite(KestrelSqliteFactory factory) : ListenerTests<KestrelSqliteFactory>(factory);

public sealed class ListenerTestsOnPostgreSql(KestrelPostgreSqlFactory factory) : ListenerTests<KestrelPostgreSqlFactory>(factory)
{
    protected override void RequireDatabase() => PostgreSqlFactory.SkipUnlessAvailable();

    // SQLite writes row by row, always with the checks; PostgreSQL writes a batch at once, first without them.
    [Fact]
    public async Task NewDataIsWrittenWithoutConflictChecksUntilARepeatComes()
    {
        var d = await NetworkedAsync(15);
        var store = new IngestStore(Factory.Services.GetRequiredService<IServiceScopeFactory>()); // a store of its own: no earlier repeat
        var at = new DateTime(2026, 9, 22, 2, 0, 0, DateTimeKind.Utc);
        IngestRecord Minute(int minute) => MinuteRecord(d, d.OutletId, at, minute, ("w01018", minute));

        store.Write([Minute(0), Minute(1)]);
        Assert.Equal(0, store.CheckedWrites);
        var repeat = store.Write([Minute(1), Minute(2)]);
        Assert.Equal([true, false], repeat.Select(o => o.Duplicate));
        Assert.Equal(1, store.CheckedWrites);
        // The batches after a repeat are written with the checks from the start.
        store.Write([Minute(3)]);
        Assert.Equal(2, store.CheckedWrites);
    }
}

/// <summary>Throttling refuses MNs and addresses, so it runs on a host of its own.</summary>
public sealed class AuthThrottleTests(KestrelSqliteFactory factory) : IClassFixture<KestrelSqliteFactory>
{
    private static string Minute(string mn, string pw, int n) =>
        Hj212Writer.Segment($"202611011010000{n:D2}", "32", "2051", pw, mn, 5, "DataTime=20261101100000;w01018-Avg=1");

    [Fact]
    public async Task RepeatedWrongPasswordsGetThatMnRefusedButNotTheOtherLoggersBehindTheSameAddress()
    {
        _ = factory.BaseUrl;
        var devices = await factory.QueryAsync(db => db.Devices.Where(x => x.State == DeviceState.Networked).OrderBy(x => x.Id)
            .Select(x => new { x.Mn, x.AccessPassword }).Take(2).ToListAsync());
        var (guessed, neighbour) = (devices[0], devices[1]);
        await using var logger = await LoggerClient.ConnectAsync(factory.Hj212Port);
        for (var i = 0; i < 5; i++)
        {
            await logger.SendAsync(Minute(guessed.Mn, "000000", i));
            Assert.Equal("9011", (await logger.ReceiveAsync())!.Cn);
        }
        // Now even the right password is not tried for that MN until the window is over …
        await logger.SendAsync(Minute(guessed.Mn, guessed.AccessPassword, 10));
        Assert.Equal("QnRtn=3", (await logger.ReceiveAsync())!.Cp);
        // … while another logger from the same address (a carrier's NAT) reports as ever.
        await using var next = await LoggerClient.ConnectAsync(factory.Hj212Port);
        await next.SendAsync(Minute(neighbour.Mn, neighbour.AccessPassword, 11));
        Assert.Equal("9014", (await next.ReceiveAsync(TimeSpan.FromSeconds(5)))!.Cn);
    }

    [Fact]
    public async Task ARegisteredLoggerNotYetNetworkedIsAnsweredAndNeverCountedAsAnAttack()
    {
        _ = factory.BaseUrl;
        var installed = await factory.QueryAsync(db => db.Devices.Where(x => x.State == DeviceState.Installed).Select(x => new { x.Mn, x.AccessPassword }).FirstAsync());
        await using var logger = await LoggerClient.ConnectAsync(factory.Hj212Port);
        for (var i = 0; i < 20; i++)
        {
            await logger.SendAsync(Minute(installed.Mn, installed.AccessPassword, i));
            Assert.Equal("QnRtn=2", (await logger.ReceiveAsync())!.Cp);
        }
    }
}

public sealed class AuthThrottleRulesTests
{
    private static AuthThrottle Throttle(Microsoft.Extensions.Time.Testing.FakeTimeProvider clock) =>
        new(Microsoft.Extensions.Options.Options.Create(new Hj212Options { AuthFailuresAllowed = 5, UnknownMnsPerAddress = 200 }), clock);

    [Fact]
    public void AnAddressIsRefusedOnlyAfterManyUnknownMnsAndOnlyForTheWindow()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var throttle = Throttle(clock);
        var address = System.Net.IPAddress.Parse("192.0.2.7");
        for (var i = 0; i < 199; i++) throttle.RecordUnknownMn(address);
        Assert.False(throttle.IsBlocked(address));
        throttle.RecordUnknownMn(address);
        Assert.True(throttle.IsBlocked(address));
        Assert.False(throttle.IsBlocked(System.Net.IPAddress.Parse("192.0.2.8")));
        clock.Advance(TimeSpan.FromMinutes(1.1));
        Assert.False(throttle.IsBlocked(address));
    }

    [Fact]
    public void WrongPasswordsCountPerMn()
    {
        var throttle = Throttle(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow));
        for (var i = 0; i < 5; i++) throttle.RecordWrongPassword("MN-A");
        Assert.True(throttle.IsBlocked("mn-a"));
        Assert.False(throttle.IsBlocked("MN-B"));
    }
}
