using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Xunit;
using Zongliang.Data;
using Zongliang.Data.Monitoring;
using Zongliang.Hj212;
using Zongliang.Web.Tests.Infrastructure;

namespace Zongliang.Web.Tests.Ingestion;

/// <summary>
/// The web host as a real process on a SQLite file, killed (SIGKILL, no graceful stop) in the middle
/// of a load, three times over. After each restart every frame that had been acknowledged must be in
/// the archive, and the archive's hash chains must be intact.
/// </summary>
public sealed class KillTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("zl-kill-").FullName;
    private readonly int _port = FreePort();
    private Process? _server;

    [Fact]
    public async Task NoAcknowledgedFrameIsLostWhenTheServerIsKilledDuringALoad()
    {
        var acked = new ConcurrentDictionary<(string Mn, string Qn), byte>();
        var sent = 0;
        for (var round = 0; round < 3; round++)
        {
            await StartServerAsync();
            var devices = await NetworkedDevicesAsync();
            using var stop = new CancellationTokenSource();
            var loaders = Enumerable.Range(0, 24).Select(i => LoadAsync(round, i, devices[i % devices.Count], acked, () => Interlocked.Increment(ref sent), stop.Token)).ToList();
            // Kill it while frames are in flight.
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            _server!.Kill();
            await _server.WaitForExitAsync();
            stop.Cancel();
            await Task.WhenAll(loaders);
        }

        await StartServerAsync(); // the database after the last kill, opened as a restart would
        _server!.Kill();
        await _server.WaitForExitAsync();
        Assert.True(acked.Count > 300, $"the load got only {acked.Count} acknowledgements");

        SqliteConnection.ClearAllPools();
        await using var db = OpenDatabase();
        var stored = new HashSet<(string, string)>();
        var mnOf = await db.Devices.IgnoreQueryFilters().ToDictionaryAsync(d => d.Id, d => d.Mn);
        foreach (var p in await db.RawPackets.IgnoreQueryFilters().Select(p => new { p.DeviceId, p.Frame }).ToListAsync())
            if (Hj212Parser.ParseFrame(p.Frame).Packet?.Qn is { } qn) stored.Add((mnOf[p.DeviceId], qn));
        var missing = acked.Keys.Where(k => !stored.Contains(k)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {acked.Count} acknowledged frames are missing (sent {sent})");
        var report = await ArchiveVerifier.VerifyAsync(db);
        Assert.True(report.Intact, string.Join("; ", report.Problems.Take(5)));
    }

    private async Task LoadAsync(int round, int index, (string Mn, string Pw) device, ConcurrentDictionary<(string, string), byte> acked, Action onSent, CancellationToken ct)
    {
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", _port, ct);
            var stream = tcp.GetStream();
            var reader = Task.Run(async () =>
            {
                var answers = new Hj212StreamReader(stream);
                try
                {
                    while (await answers.ReadPacketAsync(ct) is { } packet)
                        if (packet is { Cn: "9014", Qn: { } qn }) acked.TryAdd((device.Mn, qn), 0);
                }
                catch (Exception) { }
            });
            for (var n = 0; !ct.IsCancellationRequested; n++)
            {
                var qn = $"2031{round}{index:D3}{n:D9}";
                var time = new DateTime(2031, 1, 1).AddDays(round * 100 + index).AddSeconds(n);
                var segment = Hj212Writer.Segment(qn, "32", "2011", device.Pw, device.Mn, 5,
                    $"DataTime={Hj212Number.FormatTime(time)};w01018-Rtd={n % 50}.5,w01018-Flag=N");
                await stream.WriteAsync(Hj212Writer.Frame(segment), ct);
                onSent();
                if (n % 8 == 7) await Task.Delay(5, ct);
            }
            await reader;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException)
        {
        }
    }

    private async Task StartServerAsync()
    {
        var web = Path.Combine(RepoRoot(), "src", "Zongliang.Web");
        var dll = Path.Combine(web, "bin", Configuration(), "net10.0", "Zongliang.Web.dll");
        var psi = new ProcessStartInfo("dotnet", [dll]) { WorkingDirectory = web, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["Database__DataDirectory"] = Path.Combine(_dir, "data");
        psi.Environment["Zongliang__Demo"] = "true";
        psi.Environment["Hj212__Port"] = _port.ToString();
        psi.Environment["Urls"] = "http://127.0.0.1:0";
        psi.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        _server = Process.Start(psi)!;
        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        for (var i = 0; i < 120; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", _port);
                return;
            }
            catch (SocketException)
            {
                Assert.False(_server.HasExited, "the server stopped while starting");
                await Task.Delay(250);
            }
        }
        Assert.Fail("the server did not start listening");
    }

    private async Task<List<(string Mn, string Pw)>> NetworkedDevicesAsync()
    {
        await using var db = OpenDatabase();
        return (await db.Devices.IgnoreQueryFilters().Where(d => d.State == Zongliang.Domain.Registry.DeviceState.Networked)
            .OrderBy(d => d.Id).Select(d => new { d.Mn, d.AccessPassword }).ToListAsync()).Select(d => (d.Mn, d.AccessPassword)).ToList();
    }

    private SqliteZongliangDbContext OpenDatabase() =>
        new(new DbContextOptionsBuilder<SqliteZongliangDbContext>().UseSqlite($"Data Source={Path.Combine(_dir, "data", "zongliang.db")}").Options,
            new ScopeAccessor { Scope = Zongliang.Domain.Access.AccessScope.System("test") }, TimeProvider.System);

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Zongliang.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private static string Configuration() => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    private static int FreePort()
    {
        using var probe = new TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (_server is { HasExited: false }) _server.Kill();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
