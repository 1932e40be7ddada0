using System.Net.Sockets;
using System.Text;
using Zongliang.Hj212;

namespace Zongliang.Web.Tests.Infrastructure;

/// <summary>A data logger in a test: sends frames over TCP and reads what the platform answers.</summary>
public sealed class LoggerClient : IAsyncDisposable
{
    private readonly TcpClient _tcp = new();
    private NetworkStream _stream = null!;
    private readonly List<byte> _pending = [];

    public static async Task<LoggerClient> ConnectAsync(int port)
    {
        var c = new LoggerClient();
        await c._tcp.ConnectAsync("127.0.0.1", port);
        c._stream = c._tcp.GetStream();
        return c;
    }

    public Task SendAsync(string segment) => SendRawAsync(Hj212Writer.Frame(segment));

    public async Task SendRawAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>The next frame the platform sends, parsed; null when none comes within the time.</summary>
    public async Task<Hj212Packet?> ReceiveAsync(TimeSpan? within = null)
    {
        using var cts = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(10));
        var buffer = new byte[4096];
        while (true)
        {
            var end = _pending.IndexOf((byte)'\n');
            if (end >= 0)
            {
                var frame = _pending.Take(end + 1).ToArray();
                _pending.RemoveRange(0, end + 1);
                var r = Hj212Parser.ParseFrame(frame, Hj212Mode.Strict);
                return r.Ok ? r.Packet : throw new InvalidOperationException("platform sent a bad frame: " + Encoding.ASCII.GetString(frame) + " " + r.Error);
            }
            int n;
            try
            {
                n = await _stream.ReadAsync(buffer, cts.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            if (n == 0) return null;
            _pending.AddRange(buffer.AsSpan(0, n).ToArray());
        }
    }

    /// <summary>Whether the platform closed the connection (read returns 0) within the time.</summary>
    public async Task<bool> ClosedAsync(TimeSpan within)
    {
        using var cts = new CancellationTokenSource(within);
        var buffer = new byte[4096];
        try
        {
            // Answers sent before the close come first; the close is a read of nothing.
            while (await _stream.ReadAsync(buffer, cts.Token) > 0) { }
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
