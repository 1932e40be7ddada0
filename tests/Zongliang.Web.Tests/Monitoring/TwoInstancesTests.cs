using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;
using Zongliang.Data;
using Zongliang.Data.Monitoring;
using Zongliang.Domain.Common;
using Zongliang.Domain.Monitoring;
using Zongliang.Domain.Notifications;
using Zongliang.Domain.Registry;
using Zongliang.Hj212;
using Zongliang.Web.Features.Ingestion;
using Zongliang.Web.Features.Monitoring;
using Zongliang.Web.Features.Warnings;
using Zongliang.Web.Tests.Infrastructure;

namespace Zongliang.Web.Tests.Monitoring;

/// <summary>
/// Issue 16, point 14 ("several instances, one database"): "A test with two hosts on one PostgreSQL:
/// both ingest, jobs run on both, no outbox message is sent twice, no recompute runs twice at once,
/// and every chain verifies."
/// </summary>
public sealed class TwoInstancesTests
{
    [Fact]
    public async Task TwoHostsOnOnePostgreSqlIngestAndShareTheJobsWithoutDoingAnyTwice()
    {
        PostgreSqlFactory.SkipUnlessAvailable();
        var ct = TestContext.Current.CancellationToken;
        await using var a = new KestrelPostgreSqlFactory();
        a.Settings["Validity:RecomputeSeconds"] = "1";
        _ = a.BaseUrl; // migrates and loads the demo city
        await using var b = new SecondInstanceFactory(a);
        b.Settings["Validity:RecomputeSeconds"] = "1";
        _ = b.BaseUrl;
        var hosts = new ZongliangFactory[] { a, b };
        var names = hosts.Select(h => h.Services.GetRequiredService<InstanceName>().Id).ToList();
        Assert.NotEqual(names[0], names[1]);

        // Every recompute of either host, as traced.
        var runs = new ConcurrentBag<(int Outlet, string Instance, DateTime Start, DateTime End)>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == RecomputeQueue.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = x =>
            {
                if (x.GetTagItem("instance") is string i && names.Contains(i))
                    runs.Add(((int)x.GetTagItem("outlet")!, i, x.StartTimeUtc, x.StartTimeUtc + x.Duration));
            },
        };
        ActivitySource.AddActivityListener(listener);

        // Both ingest: loggers report to one host or the other; one moves from A to B and back (a balancer
        // sends a reconnecting logger anywhere), so A's cached chain head goes stale.
        var devices = await a.QueryAsync(db => db.Devices.Where(d => d.State == DeviceState.Networked && d.Mn.Length == 24)
            .OrderBy(d => d.Id).Take(7).Select(d => new { d.Mn, d.AccessPassword, d.Id }).ToListAsync());
        var minute = BeijingTime.FromUtc(DateTime.UtcNow).AddMinutes(-5);
        async Task SendAsync(ZongliangFactory host, string mn, string pw, int n)
        {
            await using var logger = await LoggerClient.ConnectAsync(host.Hj212Port);
            var time = minute.AddMinutes(n).ToString("yyyyMMddHHmm00", CultureInfo.InvariantCulture);
            await logger.SendAsync(Hj212Writer.Segment($"{time}{n:D3}", "32", "2051", pw, mn, 5, $"DataTime={time};w01018-Avg={10 + n},w01018-Flag=N;a21026-Avg={20 + n},a21026-Flag=N"));
            Assert.Equal("9014", (await logger.ReceiveAsync())?.Cn);
        }
        for (var i = 0; i < 6; i++)
            for (var n = 0; n < 3; n++)
                await SendAsync(hosts[i % 2], devices[i].Mn, devices[i].AccessPassword, n);
        var mover = devices[6];
        await SendAsync(a, mover.Mn, mover.AccessPassword, 0);
        await SendAsync(b, mover.Mn, mover.AccessPassword, 1);
        await SendAsync(a, mover.Mn, mover.AccessPassword, 2);
        Assert.Equal(1, a.Services.GetRequiredService<IngestStore>().ChainConflicts);

        // Jobs on both: each asks for every outlet (the catch-up of a start) and recomputes, at the same time,
        // while the hosted jobs of both run every second as well.
        var jobs = hosts.Select(h => h.Services.GetRequiredService<AggregationJob>()).ToList();
        await Task.WhenAll(jobs.Select(j => j.CatchUpAsync(ct)));
        await Task.WhenAll(jobs.Select(j => j.RunOnceAsync(ct)));
        var waited = Stopwatch.StartNew();
        while (await a.QueryAsync(db => db.RecomputeRequests.CountAsync()) > 0 && waited.Elapsed < TimeSpan.FromMinutes(3))
            await Task.Delay(200, ct);
        Assert.Equal(0, await a.QueryAsync(db => db.RecomputeRequests.CountAsync()));

        Assert.All(names, n => Assert.Contains(runs, r => r.Instance == n));
        foreach (var outlet in runs.GroupBy(r => r.Outlet))
        {
            var ordered = outlet.OrderBy(r => r.Start).ToList();
            for (var i = 1; i < ordered.Count; i++)
                Assert.True(ordered[i].Start >= ordered[i - 1].End,
                    $"outlet {outlet.Key} was recomputed by {ordered[i].Instance} from {ordered[i].Start:HH:mm:ss.fff} while {ordered[i - 1].Instance} was still at it (until {ordered[i - 1].End:HH:mm:ss.fff})");
        }
        var withData = await a.QueryAsync(db => db.Readings.Where(r => r.Kind == ReadingKind.Minute).Select(r => r.OutletId).Distinct().CountAsync());
        Assert.Equal(withData, await a.QueryAsync(db => db.DayAggregates.Select(d => d.OutletId).Distinct().CountAsync()));

        // The warning sweeps of both at once: no episode is raised twice.
        await Task.WhenAll(hosts.Select(h => h.Services.GetRequiredService<WarningService>().SweepAsync(ct)));
        var twice = await a.QueryAsync(db => db.Warnings.Where(w => w.ClosedAtUtc == null)
            .GroupBy(w => new { w.Kind, w.OutletId, w.Subject, w.Rule, w.StartUtc }).Where(g => g.Count() > 1).Select(g => g.Key.Subject).ToListAsync());
        Assert.Empty(twice);
        Assert.True(await a.QueryAsync(db => db.Warnings.CountAsync()) > 0);

        // The outboxes of both at once: every SMS is sent once.
        var marker = $"two-{Guid.NewGuid():N}"[..16];
        await a.QueryAsync(async db =>
        {
            for (var i = 0; i < 20; i++)
                db.OutboxMessages.Add(new OutboxMessage(OutboxChannel.Sms, $"1390000{i:D4}", "测试", $"{marker} {i}", DateTime.UtcNow));
            return await db.SaveChangesAsync();
        });
        var gateway = new CountingGateway();
        await Task.WhenAll(hosts.Select(h => new OutboxSender(h.Services.GetRequiredService<IServiceScopeFactory>(),
            h.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>(), TimeProvider.System, gateway,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<OutboxSender>.Instance).SendDueAsync(null, "http://sms.gateway/send", ct)));
        var sent = gateway.Bodies.Where(x => x.Contains(marker)).ToList();
        Assert.Equal((20, 20), (sent.Count, sent.Distinct().Count()));

        // Every chain verifies, the mover's too.
        var report = await a.QueryAsync(db => ArchiveVerifier.VerifyAsync(db));
        Assert.True(report.Intact, string.Join("; ", report.Problems.Take(5)));
        Assert.Equal([1L, 2, 3], await a.QueryAsync(db => db.RawPackets.Where(p => p.DeviceId == mover.Id).OrderBy(p => p.Id).Select(p => p.Seq).ToListAsync()));
    }
}

/// <summary>Host:Role: an instance runs the listener, the web, the jobs, or all (the default).</summary>
public sealed class HostRoleTests
{
    private static List<Type> Hosted(ZongliangFactory host) => host.Services.GetServices<IHostedService>().Select(s => s.GetType()).ToList();

    [Fact]
    public async Task AWebInstanceServesPagesWithoutTheListenerOrTheJobs()
    {
        await using var web = new KestrelSqliteFactory();
        web.Settings["Host:Role"] = "web";
        using var http = new HttpClient { BaseAddress = new Uri(web.BaseUrl) };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/Account/Login", TestContext.Current.CancellationToken)).StatusCode);
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => LoggerClient.ConnectAsync(web.Hj212Port));
        var hosted = Hosted(web);
        Assert.DoesNotContain(typeof(IngestWriter), hosted);
        Assert.DoesNotContain(typeof(AggregationJob), hosted);
        Assert.DoesNotContain(typeof(WarningSweepJob), hosted);
    }

    [Fact]
    public async Task AListenerAndJobsInstanceAnswersOnlyItsHealthOverHttp()
    {
        await using var worker = new KestrelSqliteFactory();
        worker.Settings["Host:Role"] = "listener, jobs";
        using var http = new HttpClient { BaseAddress = new Uri(worker.BaseUrl) };

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/Account/Login", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health", TestContext.Current.CancellationToken)).StatusCode);
        await using (await LoggerClient.ConnectAsync(worker.Hj212Port)) { }
        var hosted = Hosted(worker);
        Assert.Contains(typeof(IngestWriter), hosted);
        Assert.Contains(typeof(AggregationJob), hosted);
        Assert.Contains(typeof(WarningSweepJob), hosted);
    }

    [Fact]
    public void AnUnknownRoleStopsTheStartWithTheRolesThatExist()
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Host:Role"] = "web,reports" }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => Zongliang.Web.Hosting.HostRoles.From(config));
        Assert.Contains("listener, web, jobs", error.Message);
    }
}
