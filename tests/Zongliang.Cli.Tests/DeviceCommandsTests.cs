using Microsoft.Data.Sqlite;
using Xunit;

namespace Zongliang.Cli.Tests;

/// <summary>`zl device password --mn MN` on a demo database of its own.</summary>
public sealed class DeviceCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("zl-cli-").FullName;

    private Task<(int Code, string Out, string Err)> ZlAsync(string stdin, params string[] args) =>
        ZlProcess.RunAsync(_dir, stdin + "\n", args);

    private string Text(string sql)
    {
        using var conn = new SqliteConnection($"Data Source={Path.Combine(_dir, "data", "zongliang.db")};Pooling=false");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToString(cmd.ExecuteScalar()) ?? "";
    }

    [Fact]
    public async Task ADevicesPasswordIsSetFromStandardInputEncryptedAndAudited()
    {
        Assert.Equal(0, (await ZlAsync("", "db", "seed-demo")).Code);
        var mn = Text("SELECT Mn FROM Devices ORDER BY Id LIMIT 1");
        // Stored encrypted: a dump of the database does not show the demo's six-digit passwords.
        Assert.Equal("0", Text("SELECT COUNT(*) FROM Devices WHERE AccessPassword NOT LIKE 'enc1:%'"));

        var set = await ZlAsync("Zx9Q7w", "device", "password", "--mn", mn.ToLowerInvariant());
        Assert.Equal(0, set.Code);
        var stored = Text($"SELECT AccessPassword FROM Devices WHERE Mn = '{mn}'");
        Assert.StartsWith("enc1:", stored);
        Assert.DoesNotContain("Zx9Q7w", stored);
        Assert.Equal("1", Text("SELECT COUNT(*) FROM AuditEntries WHERE Entity = 'Device' AND Actor = 'zl device password' AND After LIKE '%AccessPassword%***%'"));
        Assert.Equal("0", Text("SELECT COUNT(*) FROM AuditEntries WHERE After LIKE '%Zx9Q7w%' OR Before LIKE '%Zx9Q7w%'"));

        var unknown = await ZlAsync("Zx9Q7w", "device", "password", "--mn", "NOSUCHMN");
        Assert.Equal((2, true), (unknown.Code, unknown.Err.Contains("no device with MN NOSUCHMN")));
        var empty = await ZlAsync("", "device", "password", "--mn", mn);
        Assert.Equal((2, true), (empty.Code, empty.Err.Contains("no password")));
        Assert.Equal(stored, Text($"SELECT AccessPassword FROM Devices WHERE Mn = '{mn}'"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
