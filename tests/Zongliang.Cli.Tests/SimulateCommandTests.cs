using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Zongliang.Cli.Tests;

/// <summary>`zl simulate` finds the listener where the host does.</summary>
public sealed class SimulateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("zl-cli-").FullName;

    [Fact]
    public async Task SimulateReportsToThePortTheHostWasGivenInHj212Port()
    {
        // Issue 17: "`zl simulate` … reads `Hj212:Port` like the host does, so the README's second terminal
        // works when the port was changed".
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(0, (await ZlProcess.RunAsync(_dir, "", "db", "seed-demo")).Code);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var run = ZlProcess.RunAsync(_dir, "", new Dictionary<string, string> { ["Hj212__Port"] = port.ToString() },
            "simulate", "--devices", "1", "--interval", "1", "--duration", "2");
        using var logger = await listener.AcceptTcpClientAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(60), ct);
        var buffer = new byte[64];
        var read = await logger.GetStream().ReadAsync(buffer, ct);
        Assert.StartsWith("##", Encoding.ASCII.GetString(buffer, 0, read));
        logger.Close();
        listener.Stop();
        await run.WaitAsync(TimeSpan.FromSeconds(60), ct);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
