using System.Net.Sockets;
using Zongliang.Hj212;

namespace Zongliang.Web.Tests.Infrastructure;

/// <summary>A data logger in a test: sends frames over TCP and reads what the platform answers.</summary>
public sealed class LoggerClient : IAsyncDisposable
{
    private readonly TcpClient _tcp = new();
    private NetworkStream _stream = null!;
    private Hj212StreamReader _answers = null!;

    public static async Task<LoggerClient> ConnectAsync(int port)
    {
        var c = new LoggerClient();
        await c._tcp.ConnectAsync("127.0.0.1", port);
        c._stream = c._tcp.GetStream();
        c._answers = new Hj212StreamReader(c._stream);
        return c;
    }

    public Task SendAsync(string segment) => SendRawAsync(Hj212Writer.Frame(segment));

    public async Task SendRawAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>The next frame the platform sends, parsed; null when none comes within the time.</summary>
    public async Task<Hj212Packet?> ReceiveAsync(TimeSpan? within = null)
    {
        using var cts = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(10));
        try
        {
            // A read cut short by the time limit leaves the reader unusable: a test reads no more after a null.
            return await _answers.ReadPacketAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
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
