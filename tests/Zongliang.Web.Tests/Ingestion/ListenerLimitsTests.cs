using Microsoft.EntityFrameworkCore;
using Xunit;
using Zongliang.Domain.Registry;
using Zongliang.Hj212;
using Zongliang.Web.Tests.Infrastructure;

namespace Zongliang.Web.Tests.Ingestion;

/// <summary>What one misbehaving peer may not do to the listener or to other devices.</summary>
public sealed class ListenerLimitsTests(KestrelSqliteFactory factory) : IClassFixture<KestrelSqliteFactory>
{
    private Task<List<(int Id, string Mn, string Pw)>> DevicesAsync() => factory.QueryAsync(async db =>
        (await db.Devices.Where(d => d.State == DeviceState.Networked && d.Mn.Length == 24).OrderBy(d => d.Id)
            .Select(d => new { d.Id, d.Mn, d.AccessPassword }).ToListAsync()).Select(d => (d.Id, d.Mn, d.AccessPassword)).ToList());

    [Fact]
    public async Task ASenderThatStartsAFrameAndStopsIsCutOff()
    {
        _ = factory.BaseUrl;
        await using var slow = await LoggerClient.ConnectAsync(factory.Hj212Port);
        await slow.SendRawAsync("##0100QN=2026"u8.ToArray()); // and nothing more; test hosts allow 2 s
        Assert.True(await slow.ClosedAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task AConnectionSendingOnlyBadFramesIsClosedAfterTheConfiguredRun()
    {
        _ = factory.BaseUrl;
        var d = (await DevicesAsync())[12];
        await using var bad = await LoggerClient.ConnectAsync(factory.Hj212Port);
        var frame = Hj212Writer.Frame(Hj212Writer.Segment("20261101101000001", "32", "2051", d.Pw, d.Mn, 5, "DataTime=20261101100000;w01018-Avg=1"));
        frame[^3] = frame[^3] == (byte)'0' ? (byte)'1' : (byte)'0';
        // 99 bad frames are borne (a good one would start the count again) …
        await bad.SendRawAsync([.. Enumerable.Range(0, 99).SelectMany(_ => frame)]);
        Assert.False(await bad.ClosedAsync(TimeSpan.FromMilliseconds(500)));
        // … the 100th closes the connection.
        await bad.SendRawAsync(frame);
        Assert.True(await bad.ClosedAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task AConnectionSendingOnlyGarbageIsClosed()
    {
        _ = factory.BaseUrl;
        await using var noise = await LoggerClient.ConnectAsync(factory.Hj212Port);
        try
        {
            for (var i = 0; i < 40; i++) await noise.SendRawAsync(Enumerable.Repeat((byte)'x', 8192).ToArray());
        }
        catch (IOException) { } // closed while still sending
        Assert.True(await noise.ClosedAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task AFloodFromOnePeerDoesNotHoldUpAnotherDevice()
    {
        _ = factory.BaseUrl;
        var devices = await DevicesAsync();
        var (flooder, other) = (devices[10], devices[11]);
        const int flood = 50_000;
        await using var a = await LoggerClient.ConnectAsync(factory.Hj212Port);
        // The flooder never reads its answers: its own connection backs up, nobody else's.
        var flooding = Task.Run(async () =>
        {
            try
            {
                for (var n = 0; n < flood; n++)
                    await a.SendAsync(Hj212Writer.Segment($"2032{n:D13}", "32", "2011", flooder.Pw, flooder.Mn, 5,
                        $"DataTime={Hj212Number.FormatTime(new DateTime(2032, 1, 1).AddSeconds(n))};w01018-Rtd=1,w01018-Flag=N"));
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException) { } // the test closes the flooder while it still writes
        });
        while (await factory.QueryAsync(db => db.RawPackets.CountAsync(p => p.DeviceId == flooder.Id)) < 500) await Task.Delay(50);

        await using var b = await LoggerClient.ConnectAsync(factory.Hj212Port);
        await b.SendAsync(Hj212Writer.Segment("20321231235959001", "32", "2011", other.Pw, other.Mn, 5, "DataTime=20321231235959;w01018-Rtd=2,w01018-Flag=N"));
        Assert.Equal("9014", (await b.ReceiveAsync(TimeSpan.FromSeconds(30)))!.Cn);
        var floodStored = await factory.QueryAsync(db => db.RawPackets.CountAsync(p => p.DeviceId == flooder.Id));
        Assert.True(floodStored < flood, $"the other device was answered only after all {flood} frames of the flood");
        await a.DisposeAsync();
        await flooding;
    }
}
