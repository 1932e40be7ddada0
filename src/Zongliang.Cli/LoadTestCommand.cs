using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Zongliang.Data;
using Zongliang.Domain.Registry;
using Zongliang.Hj212;

namespace Zongliang.Cli;

/// <summary>
/// `zl loadtest`: opens N logger connections at a given rate, sends real-time data (2011, Flag=5) at a
/// total frame rate, measures each frame's time to its 9014, and prints one JSON line. Then it reads
/// the archive and checks that every acknowledged frame is there. The registry's networked devices
/// are the identities; with more connections than devices, devices are shared (each connection sends
/// its own DataTimes, so no frame is a duplicate of another).
/// Loopback or the project's own test hosts only.
/// </summary>
public static class LoadTestCommand
{
    public static Command Create()
    {
        var devices = new Option<int>("--devices") { Description = "Connections (simulated devices)", DefaultValueFactory = _ => 1000 };
        var connectRate = new Option<int>("--connect-rate") { Description = "New connections per second", DefaultValueFactory = _ => 1000 };
        var rate = new Option<int>("--rate") { Description = "Frames per second, all connections together", DefaultValueFactory = _ => 10_000 };
        var duration = new Option<double>("--duration") { Description = "Seconds of sending, after all connections are open", DefaultValueFactory = _ => 20 };
        var window = new Option<int>("--window") { Description = "Unacknowledged frames allowed per connection", DefaultValueFactory = _ => 8 };
        var warmup = new Option<double>("--warmup") { Description = "Seconds at the start of sending whose frames count for throughput and durability but not for the latency percentiles", DefaultValueFactory = _ => 0 };
        var host = new Option<string>("--host") { Description = "Listener address", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Listener port", DefaultValueFactory = _ => 5212 };
        var serverPid = new Option<int?>("--server-pid") { Description = "Process id of the server, to report its peak memory" };
        var verify = new Option<bool>("--verify") { Description = "Check afterwards that every acknowledged frame is in the database", DefaultValueFactory = _ => true };
        var cmd = new Command("loadtest", "Load the HJ 212 listener and measure acknowledged frames per second and ack latency")
        {
            devices, connectRate, rate, duration, window, warmup, host, port, serverPid, verify,
        };
        cmd.SetAction(async (pr, ct) =>
        {
            await using var services = CliHost.Build();
            var ids = await IdentitiesAsync(services, ct);
            if (ids.Count == 0)
            {
                Console.Error.WriteLine("zl: no networked devices in the database");
                return 2;
            }
            var run = new LoadRun(pr.GetValue(host)!, pr.GetValue(port), pr.GetValue(devices), pr.GetValue(connectRate), pr.GetValue(rate),
                TimeSpan.FromSeconds(pr.GetValue(duration)), pr.GetValue(window), ids, TimeSpan.FromSeconds(pr.GetValue(warmup)));
            var startedUtc = DateTime.UtcNow.AddSeconds(-1);
            var serverCpuBefore = pr.GetValue(serverPid) is { } p0 ? CpuSeconds(p0) : null;
            var clientCpuBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
            var result = await run.RunAsync(ct);
            // Client and server share the machine's cores: what each used tells where the time went.
            result["clientCpuSeconds"] = Math.Round(Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - clientCpuBefore, 1);
            if (pr.GetValue(serverPid) is { } pid)
            {
                result["serverCpuSeconds"] = CpuSeconds(pid) - serverCpuBefore;
                result["serverPeakMemoryMiB"] = PeakMemoryMiB(pid);
            }
            if (pr.GetValue(verify))
            {
                var missing = await MissingAsync(services, run.Acknowledged, startedUtc, ct);
                result["verifiedInDatabase"] = missing == 0;
                result["missingInDatabase"] = missing;
            }
            Console.WriteLine(JsonSerializer.Serialize(result));
            return result.TryGetValue("missingInDatabase", out var m) && (long)m! > 0 ? 1 : 0;
        });
        return cmd;
    }

    private static async Task<List<(int Id, string Mn, string Pw)>> IdentitiesAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.SystemScope("zl loadtest");
        var db = scope.ServiceProvider.GetRequiredService<ZongliangDbContext>();
        return (await db.Devices.AsNoTracking().Where(d => d.State == DeviceState.Networked).OrderBy(d => d.Id)
            .Select(d => new { d.Id, d.Mn, d.AccessPassword }).ToListAsync(ct)).Select(d => (d.Id, d.Mn, d.AccessPassword)).ToList();
    }

    /// <summary>How many acknowledged frames (by device and QN) the archive does not hold.</summary>
    private static async Task<long> MissingAsync(IServiceProvider services, ConcurrentDictionary<(int Device, string Qn), byte> acked, DateTime sinceUtc, CancellationToken ct)
    {
        await using var scope = services.SystemScope("zl loadtest");
        var db = scope.ServiceProvider.GetRequiredService<ZongliangDbContext>();
        var wanted = new HashSet<(int, string)>(acked.Keys);
        var found = 0L;
        var frames = db.RawPackets.AsNoTracking().Where(p => p.ReceivedAtUtc >= sinceUtc && p.Cn == 2011)
            .Select(p => new { p.DeviceId, p.Frame }).AsAsyncEnumerable();
        await foreach (var f in frames.WithCancellation(ct))
            if (Hj212Parser.ParseFrame(f.Frame).Packet?.Qn is { } qn && wanted.Remove((f.DeviceId, qn))) found++;
        return wanted.Count;
    }

    /// <summary>User and system CPU time of a process, from /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s).</summary>
    private static double? CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return Math.Round((long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0, 1);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static double? PeakMemoryMiB(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:"));
            return line is null ? null : Math.Round(long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0, 1);
        }
        catch (IOException)
        {
            return null;
        }
    }
}

internal sealed class LoadRun(string host, int port, int connections, int connectRate, int rate, TimeSpan duration, int window,
    IReadOnlyList<(int Id, string Mn, string Pw)> identities, TimeSpan warmup)
{
    private long _sendStarted;
    public ConcurrentDictionary<(int Device, string Qn), byte> Acknowledged { get; } = new();
    private TimeSpan Warmup => warmup;
    private long _sent, _errors, _opened;
    private readonly ConcurrentBag<List<double>> _latencies = [];

    public async Task<Dictionary<string, object?>> RunAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var open = new List<Task<Connection?>>();
        for (var i = 0; i < connections; i++)
        {
            open.Add(OpenAsync(i, ct));
            if ((i + 1) % Math.Max(1, connectRate / 20) == 0) await Task.Delay(50, ct); // connectRate per second, in steps of 50 ms
        }
        var conns = (await Task.WhenAll(open)).OfType<Connection>().ToList();
        var connectSeconds = clock.Elapsed.TotalSeconds;

        var sendStart = Stopwatch.StartNew();
        _sendStarted = Stopwatch.GetTimestamp();
        var perConnectionInterval = TimeSpan.FromSeconds(conns.Count / (double)Math.Max(1, rate));
        await Task.WhenAll(conns.Select(c => c.SendLoopAsync(perConnectionInterval, duration, ct)));
        var sendSeconds = sendStart.Elapsed.TotalSeconds;
        await Task.WhenAll(conns.Select(c => c.DrainAsync(TimeSpan.FromSeconds(10))));
        foreach (var c in conns) c.Dispose();

        var all = _latencies.SelectMany(l => l).Order().ToArray();
        double P(double q) => all.Length == 0 ? 0 : Math.Round(all[Math.Min(all.Length - 1, (int)(q * all.Length))], 2);
        return new Dictionary<string, object?>
        {
            ["connections"] = conns.Count,
            ["connectSeconds"] = Math.Round(connectSeconds, 2),
            ["sendSeconds"] = Math.Round(sendSeconds, 2),
            ["sent"] = _sent,
            ["acknowledged"] = (long)Acknowledged.Count,
            ["acknowledgedPerSecond"] = Math.Round(Acknowledged.Count / sendSeconds, 0),
            ["latencyWarmupSeconds"] = warmup.TotalSeconds,
            ["ackLatencyMs"] = new Dictionary<string, double> { ["p50"] = P(0.50), ["p90"] = P(0.90), ["p99"] = P(0.99), ["max"] = all.Length == 0 ? 0 : Math.Round(all[^1], 2) },
            ["errors"] = _errors,
        };
    }

    private async Task<Connection?> OpenAsync(int index, CancellationToken ct)
    {
        try
        {
            var tcp = new TcpClient { NoDelay = true };
            await tcp.ConnectAsync(host, port, ct);
            Interlocked.Increment(ref _opened);
            return new Connection(this, index, identities[index % identities.Count], tcp, window);
        }
        catch (SocketException)
        {
            Interlocked.Increment(ref _errors);
            return null;
        }
    }

    private sealed class Connection : IDisposable
    {
        private readonly LoadRun _run;
        private readonly int _index;
        private readonly (int Id, string Mn, string Pw) _device;
        private readonly TcpClient _tcp;
        private readonly SemaphoreSlim _window;
        private readonly ConcurrentDictionary<string, long> _inFlight = new();
        private readonly List<double> _latency = [];
        private readonly Task _reader;
        private long _frame;

        public Connection(LoadRun run, int index, (int, string, string) device, TcpClient tcp, int window)
        {
            _run = run;
            _index = index;
            _device = device;
            _tcp = tcp;
            _window = new SemaphoreSlim(window, window);
            run._latencies.Add(_latency);
            _reader = Task.Run(ReadLoopAsync);
        }

        public async Task SendLoopAsync(TimeSpan interval, TimeSpan duration, CancellationToken ct)
        {
            var stream = _tcp.GetStream();
            var started = Stopwatch.GetTimestamp();
            // Spread the connections' first frames over one interval.
            var next = TimeSpan.FromTicks((long)(interval.Ticks * (_index % 97 / 97.0)));
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    var elapsed = Stopwatch.GetElapsedTime(started);
                    if (elapsed >= duration) break;
                    if (next > elapsed) await Task.Delay(next - elapsed, ct);
                    next += interval;
                    await _window.WaitAsync(ct);
                    var n = _frame++;
                    // Unique per connection and frame: QN (17 digits) and DataTime.
                    var qn = $"2030{_index:D5}{n:D8}";
                    var dataTime = new DateTime(2030, 1, 1).AddDays(_index * 200L % 3_000_000).AddSeconds(n);
                    var segment = Hj212Writer.Segment(qn, "32", "2011", _device.Pw, _device.Mn, 5,
                        $"DataTime={Hj212Number.FormatTime(dataTime)};w01018-Rtd={n % 90}.5,w01018-Flag=N;w21003-Rtd=1.{n % 9},w21003-Flag=N;w00000-Rtd=12.3,w00000-Flag=N");
                    _inFlight[qn] = Stopwatch.GetTimestamp();
                    await stream.WriteAsync(Hj212Writer.Frame(segment), ct);
                    Interlocked.Increment(ref _run._sent);
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                Interlocked.Increment(ref _run._errors);
            }
        }

        public async Task DrainAsync(TimeSpan within)
        {
            var until = DateTime.UtcNow + within;
            while (!_inFlight.IsEmpty && DateTime.UtcNow < until) await Task.Delay(50);
        }

        private async Task ReadLoopAsync()
        {
            var answers = new Hj212StreamReader(_tcp.GetStream());
            try
            {
                while (await answers.ReadPacketAsync() is { } packet)
                {
                    if (packet is { Cn: "9014", Qn: { } qn } && _inFlight.TryRemove(qn, out var sentAt))
                    {
                        if (Stopwatch.GetElapsedTime(_run._sendStarted, sentAt) >= _run.Warmup)
                            _latency.Add(Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds);
                        _run.Acknowledged.TryAdd((_device.Id, qn), 0);
                        _window.Release();
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
            }
        }

        public void Dispose()
        {
            _tcp.Dispose();
            _reader.Wait(TimeSpan.FromSeconds(1));
        }
    }
}
