using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
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
        var port = new Option<int>("--port") { Description = "Listener port (default: Hj212:Port, as the host reads it; else 5212)", DefaultValueFactory = _ => CliHost.ListenerPort() };
        var serverPid = new Option<int?>("--server-pid") { Description = "Process id of the server, to report its peak memory" };
        var secondsCsv = new Option<string?>("--seconds-csv") { Description = "File to write each second of sending after the warm-up to (frames acknowledged, ack latency p50, p99, max): where the tail comes from, second by second" };
        var verify = new Option<bool>("--verify") { Description = "Check afterwards that every acknowledged frame is in the database", DefaultValueFactory = _ => true };
        var cmd = new Command("loadtest", "Load the HJ 212 listener and measure acknowledged frames per second and ack latency")
        {
            devices, connectRate, rate, duration, window, warmup, host, port, serverPid, secondsCsv, verify,
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
            if (pr.GetValue(secondsCsv) is { } csv) await File.WriteAllLinesAsync(csv, run.SecondsCsv(), ct);
            // Client and server share the machine's cores: what each used tells where the time went.
            result["clientCpuSeconds"] = Math.Round(Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - clientCpuBefore, 1);
            if (pr.GetValue(serverPid) is { } pid)
            {
                result["serverCpuSeconds"] = CpuSeconds(pid) - serverCpuBefore;
                result["serverPeakMemoryMiB"] = PeakMemoryMiB(pid);
            }
            if (pr.GetValue(verify))
            {
                var missing = await MissingAsync(services, run, startedUtc, ct);
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

    /// <summary>How many acknowledged frames (by connection and frame number, read from the QN) the archive does not hold.</summary>
    private static async Task<long> MissingAsync(IServiceProvider services, LoadRun run, DateTime sinceUtc, CancellationToken ct)
    {
        await using var scope = services.SystemScope("zl loadtest");
        var db = scope.ServiceProvider.GetRequiredService<ZongliangDbContext>();
        var found = run.NewFrameSet();
        var frames = db.RawPackets.AsNoTracking().Where(p => p.ReceivedAtUtc >= sinceUtc && p.Cn == 2011)
            .Select(p => new { p.DeviceId, p.Frame }).AsAsyncEnumerable();
        await foreach (var f in frames.WithCancellation(ct))
            if (Hj212Parser.ParseFrame(f.Frame).Packet?.Qn is { } qn && LoadRun.FrameOf(qn) is var (connection, frame) && run.DeviceOf(connection) == f.DeviceId)
                found.Add(connection, frame);
        return run.Acknowledged.CountMissingFrom(found);
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

/// <summary>
/// Frames by connection and frame number, one bit each: what was acknowledged, what the archive holds.
/// Each connection's row is written by one thread only (its receive loop, or the check afterwards).
/// </summary>
internal sealed class FrameSet(int connections)
{
    private readonly ulong[][] _bits = [.. Enumerable.Range(0, connections).Select(_ => new ulong[4])];

    public void Add(int connection, long frame)
    {
        ref var row = ref _bits[connection];
        var word = (int)(frame >> 6);
        if (word >= row.Length) Array.Resize(ref row, Math.Max(word + 1, row.Length * 2));
        row[word] |= 1UL << (int)(frame & 63);
    }

    public long Count => _bits.Sum(row => row.Sum(w => (long)ulong.PopCount(w)));

    /// <summary>Frames in this set that <paramref name="other"/> does not have.</summary>
    public long CountMissingFrom(FrameSet other)
    {
        long missing = 0;
        for (var c = 0; c < _bits.Length; c++)
            for (var w = 0; w < _bits[c].Length; w++)
                missing += (long)ulong.PopCount(_bits[c][w] & ~(w < other._bits[c].Length ? other._bits[c][w] : 0));
        return missing;
    }
}

/// <summary>
/// One load run. Connections are opened at the given rate; then one thread paces the sending for all
/// of them: frames fall due at the total rate and the connections take them in turn (a connection
/// whose window of unacknowledged frames is full passes its turn). Each frame is written into a
/// buffer of the connection's own and sent with one call, and the answers are read by each
/// connection's receive loop, which finds the frame by its QN. So the client spends little CPU per
/// frame: on one machine the server has most of it.
/// </summary>
internal sealed class LoadRun(string host, int port, int connections, int connectRate, int rate, TimeSpan duration, int window,
    IReadOnlyList<(int Id, string Mn, string Pw)> identities, TimeSpan warmup)
{
    private long _sendStarted;
    private long _sent, _errors;
    private readonly List<Connection?> _connections = [.. Enumerable.Repeat<Connection?>(null, connections)];

    public FrameSet Acknowledged { get; } = new(connections);

    public FrameSet NewFrameSet() => new(connections);

    public int? DeviceOf(int connection) => connection < _connections.Count ? _connections[connection]?.DeviceId : null;

    /// <summary>QN = "2030" + connection (5 digits) + frame number (8 digits), as the client writes it.</summary>
    public static (int Connection, long Frame)? FrameOf(string qn) =>
        qn.Length == 17 && qn.StartsWith("2030", StringComparison.Ordinal) && int.TryParse(qn.AsSpan(4, 5), out var c) && long.TryParse(qn.AsSpan(9), out var n)
            ? (c, n) : null;

    public async Task<Dictionary<string, object?>> RunAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var open = new List<Task>();
        for (var i = 0; i < connections; i++)
        {
            open.Add(OpenAsync(i, ct));
            if ((i + 1) % Math.Max(1, connectRate / 20) == 0) await Task.Delay(50, ct); // connectRate per second, in steps of 50 ms
        }
        await Task.WhenAll(open);
        var conns = _connections.OfType<Connection>().ToList();
        var connectSeconds = clock.Elapsed.TotalSeconds;

        _sendStarted = Stopwatch.GetTimestamp();
        await Task.Factory.StartNew(() => SendLoop(conns, ct), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var sendSeconds = Stopwatch.GetElapsedTime(_sendStarted).TotalSeconds;
        var until = DateTime.UtcNow.AddSeconds(10);
        while (conns.Any(c => c.InFlight > 0) && DateTime.UtcNow < until) await Task.Delay(50, ct);
        foreach (var c in conns) c.Dispose();
        _latencies = conns.SelectMany(c => c.Latencies).ToList();

        var all = _latencies.Select(l => l.Ms).Order().ToArray();
        double P(double q) => Percentile(all, q);
        // The p99 of each 10 s of sending after the warm-up (by send time): shows whether the tail is
        // spread evenly or comes in bursts.
        var tenSeconds = Windows(_latencies, 10).Select(w => w.P99).ToList();
        var acknowledged = Acknowledged.Count;
        return new Dictionary<string, object?>
        {
            ["connections"] = conns.Count,
            ["connectSeconds"] = Math.Round(connectSeconds, 2),
            ["sendSeconds"] = Math.Round(sendSeconds, 2),
            ["sent"] = _sent,
            ["acknowledged"] = acknowledged,
            ["acknowledgedPerSecond"] = Math.Round(acknowledged / sendSeconds, 0),
            ["latencyWarmupSeconds"] = warmup.TotalSeconds,
            ["ackLatencyMs"] = new Dictionary<string, double> { ["p50"] = P(0.50), ["p90"] = P(0.90), ["p99"] = P(0.99), ["max"] = all.Length == 0 ? 0 : Math.Round(all[^1], 2) },
            ["ackLatencyP99MsPer10s"] = tenSeconds,
            ["errors"] = Interlocked.Read(ref _errors),
        };
    }

    private List<(double SentAtSeconds, double Ms)> _latencies = [];

    /// <summary>
    /// The acknowledged frames after the warm-up in windows of the given seconds of sending (by the time
    /// each was sent): the window's start, its frames and their ack latency p50, p99 and max.
    /// </summary>
    internal static IEnumerable<(int Start, int Frames, double P50, double P99, double Max)> Windows(
        IEnumerable<(double SentAtSeconds, double Ms)> latencies, int seconds) =>
        latencies.GroupBy(l => (int)(l.SentAtSeconds / seconds)).OrderBy(g => g.Key).Select(g =>
        {
            var ms = g.Select(l => l.Ms).Order().ToArray();
            return (g.Key * seconds, ms.Length, Percentile(ms, 0.50), Percentile(ms, 0.99), Math.Round(ms[^1], 2));
        });

    /// <summary>`--seconds-csv`: a header, then one line per second of sending after the warm-up.</summary>
    public IEnumerable<string> SecondsCsv() =>
        Windows(_latencies, 1).Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.Start},{w.Frames},{w.P50},{w.P99},{w.Max}"))
            .Prepend("second,acknowledged,p50Ms,p99Ms,maxMs");

    /// <summary>The value below which the fraction q of the sorted values lie.</summary>
    internal static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))], 2);

    private void SendLoop(List<Connection> conns, CancellationToken ct)
    {
        if (conns.Count == 0) return;
        var frame = new byte[1024];
        var segment = new byte[1024];
        var turn = 0;
        while (!ct.IsCancellationRequested)
        {
            var elapsed = Stopwatch.GetElapsedTime(_sendStarted);
            if (elapsed >= duration) break;
            var due = (long)(elapsed.TotalSeconds * rate);
            // Frames due go to the connections in turn; a round in which no connection could send ends the burst.
            for (var passed = 0; _sent < due && passed < conns.Count; turn = (turn + 1) % conns.Count)
            {
                switch (conns[turn].TrySend(segment, frame))
                {
                    case Connection.Sent.Yes:
                        _sent++;
                        passed = 0;
                        break;
                    case Connection.Sent.Failed:
                        Interlocked.Increment(ref _errors);
                        passed++;
                        break;
                    default:
                        passed++;
                        break;
                }
            }
            Thread.Sleep(1);
        }
    }

    private async Task OpenAsync(int index, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, ct);
            _connections[index] = new Connection(this, index, identities[index % identities.Count], socket, window);
        }
        catch (SocketException)
        {
            socket.Dispose();
            Interlocked.Increment(ref _errors);
        }
    }

    private sealed class Connection : IDisposable
    {
        public enum Sent { Yes, WindowFull, Failed }

        private readonly LoadRun _run;
        private readonly int _index;
        private readonly (int Id, string Mn, string Pw) _device;
        private readonly Socket _socket;
        private readonly int _window;
        // Send times of the frames in flight, by frame number modulo the window (at most that many are in flight).
        private readonly (long Frame, long At)[] _sentAt;
        private readonly List<(double SentAtSeconds, double Ms)> _latencies = [];
        private readonly Task _reader;
        private long _frame;
        private int _inFlight;
        private bool _broken;

        public Connection(LoadRun run, int index, (int, string, string) device, Socket socket, int window)
        {
            _run = run;
            _index = index;
            _device = device;
            _socket = socket;
            _window = window;
            _sentAt = new (long, long)[window];
            _reader = Task.Run(ReadLoopAsync);
        }

        public int DeviceId => _device.Id;
        public int InFlight => Volatile.Read(ref _inFlight);
        /// <summary>Each acknowledged frame after the warm-up: when it was sent (seconds after sending began) and its ack latency.</summary>
        public IReadOnlyList<(double SentAtSeconds, double Ms)> Latencies => _latencies;

        /// <summary>Writes the connection's next frame into the buffers and sends it, if its window allows.</summary>
        public Sent TrySend(Span<byte> segment, Span<byte> frame)
        {
            if (_broken) return Sent.Failed;
            if (Volatile.Read(ref _inFlight) >= _window) return Sent.WindowFull;
            var n = _frame++;
            // Unique per connection and frame: QN (17 digits) and DataTime.
            var dataTime = new DateTime(2030, 1, 1).AddDays(_index * 200L % 3_000_000).AddSeconds(n);
            System.Text.Unicode.Utf8.TryWrite(segment, CultureInfo.InvariantCulture,
                $"QN=2030{_index:D5}{n:D8};ST=32;CN=2011;PW={_device.Pw};MN={_device.Mn};Flag=5;CP=&&DataTime={dataTime:yyyyMMddHHmmss};w01018-Rtd={n % 90}.5,w01018-Flag=N;w21003-Rtd=1.{n % 9},w21003-Flag=N;w00000-Rtd=12.3,w00000-Flag=N&&",
                out var length);
            var frameLength = Hj212Writer.WriteFrame(segment[..length], frame);
            _sentAt[n % _window] = (n, Stopwatch.GetTimestamp());
            Interlocked.Increment(ref _inFlight);
            try
            {
                _socket.Send(frame[..frameLength]);
                return Sent.Yes;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                _broken = true;
                return Sent.Failed;
            }
        }

        private async Task ReadLoopAsync()
        {
            var buffer = new byte[16 * 1024];
            int start = 0, end = 0;
            try
            {
                while (true)
                {
                    var got = await _socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None);
                    if (got == 0) return;
                    end += got;
                    while (true)
                    {
                        var r = Hj212Framer.Read(buffer.AsSpan(start, end - start));
                        if (r.Status == FrameStatus.NeedMoreData)
                        {
                            start += r.Consumed;
                            break;
                        }
                        if (r.Status == FrameStatus.Frame) OnAnswer(buffer.AsSpan(start + r.DataStart, r.DataLength));
                        start += r.Consumed;
                    }
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    (end, start) = (end - start, 0);
                    if (end == buffer.Length) return; // no frame in 16 KB: not an HJ 212 server
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }
        }

        /// <summary>A 9014 names the frame it answers by its QN.</summary>
        private void OnAnswer(ReadOnlySpan<byte> data)
        {
            if (data.IndexOf(";CN=9014;"u8) < 0) return;
            var at = data.IndexOf("QN="u8);
            if (at < 0 || data.Length < at + 20 || !long.TryParse(data.Slice(at + 3 + 9, 8), NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return;
            var (frame, sentAt) = _sentAt[n % _window];
            if (frame == n && sentAt != 0 && Stopwatch.GetElapsedTime(_run._sendStarted, sentAt) is var sentAfter && sentAfter >= _run.Warmup)
                _latencies.Add((sentAfter.TotalSeconds, Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds));
            _run.Acknowledged.Add(_index, n);
            Interlocked.Decrement(ref _inFlight);
        }

        public void Dispose()
        {
            _socket.Dispose();
            _reader.Wait(TimeSpan.FromSeconds(1));
        }
    }

    private TimeSpan Warmup => warmup;
}
