using System.CommandLine;
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
/// `zl simulate`: registered, networked devices of the database report over TCP like field loggers:
/// real-time data every interval, minute data every 10 minutes, hourly and daily data at their
/// boundaries, with realistic levels below the limits, occasional faults (D, M, C flags), exceedance
/// episodes, reconnects, and the HJ/T 212-2005 form for loggers with a 14-character MN.
/// </summary>
public static class SimulateCommand
{
    public static Command Create()
    {
        var devices = new Option<int>("--devices") { Description = "How many networked devices report", DefaultValueFactory = _ => 20 };
        var host = new Option<string>("--host") { Description = "Listener address", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Listener port (default: Hj212:Port, as the host reads it; else 5212)", DefaultValueFactory = _ => CliHost.ListenerPort() };
        var interval = new Option<double>("--interval") { Description = "Seconds between real-time reports", DefaultValueFactory = _ => 30 };
        var backfill = new Option<int>("--backfill") { Description = "Hours of history (minute, hourly, daily data) to send first", DefaultValueFactory = _ => 0 };
        var duration = new Option<double>("--duration") { Description = "Seconds to run after the backfill; 0 = until Ctrl+C", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 212 };
        var cmd = new Command("simulate", "Simulate data loggers of the registry reporting over TCP") { devices, host, port, interval, backfill, duration, seed };
        cmd.SetAction(async (pr, ct) =>
        {
            await using var services = CliHost.Build();
            var sims = await LoadAsync(services, pr.GetValue(devices), pr.GetValue(seed), ct);
            if (sims.Count == 0)
            {
                Console.Error.WriteLine("zl: no networked devices with monitored factors in the database");
                return 2;
            }
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var now = DateTime.UtcNow.AddHours(8);
            var tasks = sims.Select(s => s.RunAsync(pr.GetValue(host)!, pr.GetValue(port), TimeSpan.FromSeconds(pr.GetValue(interval)),
                pr.GetValue(backfill), pr.GetValue(duration), now, stop.Token)).ToList();
            await Task.WhenAll(tasks);
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                devices = sims.Count,
                sent = sims.Sum(s => s.Sent),
                acknowledged = sims.Sum(s => s.Acknowledged),
                reconnects = sims.Sum(s => s.Reconnects),
                errors = sims.Sum(s => s.Errors),
            }));
            return 0;
        });
        return cmd;
    }

    private static async Task<List<SimulatedLogger>> LoadAsync(IServiceProvider services, int count, int seed, CancellationToken ct)
    {
        await using var scope = services.SystemScope("zl simulate");
        var db = scope.ServiceProvider.GetRequiredService<ZongliangDbContext>();
        var factors = await db.Factors.AsNoTracking().ToDictionaryAsync(f => f.Code, ct);
        var devices = await db.Devices.AsNoTracking().Include(d => d.Outlet)
            .Where(d => d.State == DeviceState.Networked).OrderBy(d => d.Id).Take(count).ToListAsync(ct);
        var rng = new Random(seed);
        return devices.Where(d => d.Outlet.Factors.Count > 0)
            .Select(d => new SimulatedLogger(d.Mn, d.AccessPassword, d.Outlet.Medium,
                d.Outlet.Factors.Select(f => new SimulatedFactor(f.FactorCode, f.Limit, factors.GetValueOrDefault(f.FactorCode)?.IsParameter ?? true, rng.Next())).ToList(),
                rng.Next()))
            .ToList();
    }
}

/// <summary>One factor's values: a level below the limit with noise and drift, faults and exceedance episodes.</summary>
public sealed class SimulatedFactor(string code, decimal? limit, bool isParameter, int seed)
{
    private readonly Random _rng = new(seed);
    private readonly double _level = ParameterLevel(code) ?? (double)(limit ?? 50m) * (0.25 + new Random(seed).NextDouble() * 0.4);
    private int _exceeding;

    public string Code { get; } = code;

    private static double? ParameterLevel(string code) => code switch
    {
        "w00000" => 12, "w01001" => 7.3, "a00000" => 45, "a19001" => 9.5, "a01012" => 95, "a01013" => 101.2, "a01014" => 8, "a01011" => 12,
        _ => null,
    };

    public (double Value, char Flag) Next()
    {
        if (!isParameter && _exceeding == 0 && _rng.NextDouble() < 0.004) _exceeding = _rng.Next(3, 12);
        var factor = _exceeding > 0 ? 1.3 + _rng.NextDouble() * 0.6 * (limit is null ? 0 : 1) : 1.0;
        if (_exceeding > 0) _exceeding--;
        var value = Math.Max(0, _level * factor * (1 + (_rng.NextDouble() - 0.5) * 0.2));
        if (!isParameter && limit is { } l && factor == 1.0) value = Math.Min(value, (double)l * 0.95);
        var roll = _rng.NextDouble();
        var flag = roll < 0.005 ? 'D' : roll < 0.01 ? 'M' : roll < 0.013 ? 'C' : 'N';
        return (Math.Round(value, Code == "w01001" ? 2 : 3), flag);
    }
}

/// <summary>One data logger: its connection, its reports and what came back.</summary>
public sealed class SimulatedLogger(string mn, string pw, Medium medium, IReadOnlyList<SimulatedFactor> factors, int seed)
{
    private readonly Random _rng = new(seed);
    private readonly bool _old = mn.Length <= 14;
    private TcpClient? _tcp;
    private Task? _reader;

    public int Sent;
    public int Acknowledged;
    public int Reconnects;
    public int Errors;

    private string St => medium == Medium.Water ? "32" : "31";

    public async Task RunAsync(string host, int port, TimeSpan interval, int backfillHours, double durationSeconds, DateTime beijingNow, CancellationToken ct)
    {
        try
        {
            await ConnectAsync(host, port, ct);
            if (backfillHours > 0)
            {
                var start = new DateTime(beijingNow.Year, beijingNow.Month, beijingNow.Day, beijingNow.Hour, 0, 0).AddHours(-backfillHours);
                for (var t = start; t < beijingNow.AddMinutes(-10); t = t.AddMinutes(10))
                {
                    await SendAsync(Data("2051", t, aggregate: true), ct);
                    if (t.Minute == 50) await SendAsync(Data("2061", t.AddMinutes(-50), aggregate: true), ct);
                    if (t.Hour == 23 && t.Minute == 50) await SendAsync(Data("2031", t.Date, aggregate: true), ct);
                }
            }
            var until = durationSeconds > 0 ? DateTime.UtcNow.AddSeconds(durationSeconds) : DateTime.MaxValue;
            var last = DateTime.UtcNow.AddHours(8);
            while (!ct.IsCancellationRequested && DateTime.UtcNow < until)
            {
                var now = DateTime.UtcNow.AddHours(8);
                await SendAsync(Data("2011", now, aggregate: false), ct);
                if (now.Minute / 10 != last.Minute / 10) await SendAsync(Data("2051", Floor(last, 10), aggregate: true), ct);
                if (now.Hour != last.Hour) await SendAsync(Data("2061", Floor(last, 60), aggregate: true), ct);
                if (now.Date != last.Date) await SendAsync(Data("2031", last.Date, aggregate: true), ct);
                last = now;
                if (_rng.NextDouble() < 0.01) await ReconnectAsync(host, port, ct);
                await Task.Delay(interval, ct);
            }
            await Task.Delay(500, CancellationToken.None); // let the last answers arrive
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            Interlocked.Increment(ref Errors);
            Console.Error.WriteLine($"zl simulate {mn}: {ex.Message}");
        }
        finally
        {
            _tcp?.Dispose();
        }
    }

    private static DateTime Floor(DateTime t, int minutes) => new DateTime(t.Year, t.Month, t.Day, t.Hour, 0, 0).AddMinutes(t.Minute / minutes * minutes);

    private string Data(string cn, DateTime time, bool aggregate)
    {
        var items = new List<string> { "DataTime=" + Hj212Number.FormatTime(time) };
        foreach (var f in factors)
        {
            var code = _old && Hj212Codes.Code2005Of(f.Code) is { Length: > 0 } c05 ? c05 : f.Code;
            var (v, flag) = f.Next();
            var s = v.ToString(CultureInfo.InvariantCulture);
            items.Add(aggregate
                ? $"{code}-Min={(v * 0.9).ToString("0.###", CultureInfo.InvariantCulture)},{code}-Avg={s},{code}-Max={(v * 1.1).ToString("0.###", CultureInfo.InvariantCulture)},{code}-Flag={flag}"
                : $"{code}-Rtd={s},{code}-Flag={flag}");
        }
        var cp = string.Join(";", items);
        return _old
            ? Hj212Writer.Segment(null, St, cn, pw, mn, null, cp)
            : Hj212Writer.Segment(Hj212Number.FormatQn(DateTime.UtcNow.AddHours(8)), St, cn, pw, mn, 5, cp);
    }

    private async Task SendAsync(string segment, CancellationToken ct)
    {
        await _tcp!.GetStream().WriteAsync(Hj212Writer.Frame(segment), ct);
        Interlocked.Increment(ref Sent);
    }

    private async Task ConnectAsync(string host, int port, CancellationToken ct)
    {
        _tcp = new TcpClient { NoDelay = true };
        await _tcp.ConnectAsync(host, port, ct);
        var stream = _tcp.GetStream();
        _reader = Task.Run(async () =>
        {
            var answers = new Hj212StreamReader(stream);
            try
            {
                while (await answers.ReadPacketAsync(ct) is { } packet)
                    if (packet.Cn == "9014") Interlocked.Increment(ref Acknowledged);
            }
            catch (Exception) when (ct.IsCancellationRequested || !(_tcp?.Connected ?? false)) { }
            catch (IOException) { }
        }, CancellationToken.None);
    }

    private async Task ReconnectAsync(string host, int port, CancellationToken ct)
    {
        await Task.Delay(200, ct); // answers in flight
        _tcp?.Dispose();
        Interlocked.Increment(ref Reconnects);
        await ConnectAsync(host, port, ct);
    }
}
