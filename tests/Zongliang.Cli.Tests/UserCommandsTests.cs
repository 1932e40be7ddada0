using Microsoft.Data.Sqlite;
using Xunit;

namespace Zongliang.Cli.Tests;

/// <summary>Runs the real `zl` program on a fresh SQLite database in a folder of its own.</summary>
public sealed class UserCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("zl-cli-").FullName;

    private Task<(int Code, string Out, string Err)> ZlAsync(string stdin, params string[] args) =>
        ZlProcess.RunAsync(_dir, stdin + "\n", args);

    private long Count(string sql)
    {
        using var conn = new SqliteConnection($"Data Source={Path.Combine(_dir, "data", "zongliang.db")};Pooling=false");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }

    [Fact]
    public async Task AFreshDatabaseHasNoUserUntilTheFirstAdministratorIsCreated()
    {
        var migrate = await ZlAsync("", "db", "migrate");
        Assert.Equal(0, migrate.Code);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM AspNetUsers"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM Regions"));

        var weak = await ZlAsync("12345", "user", "add", "--name", "boss", "--role", "admin");
        Assert.Equal(2, weak.Code);
        Assert.Contains("at least 8 characters", weak.Err);

        var ok = await ZlAsync("Str0ng!Pass", "user", "add", "--name", "boss", "--role", "admin", "--display", "系统管理员");
        Assert.Equal(0, ok.Code);
        Assert.Equal(1, Count("SELECT COUNT(*) FROM AspNetUsers u JOIN AspNetUserRoles ur ON ur.UserId = u.Id JOIN AspNetRoles r ON r.Id = ur.RoleId WHERE u.UserName = 'boss' AND r.Name = 'admin'"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM AspNetUsers WHERE PasswordHash LIKE '%Str0ng%'"));
        Assert.Equal(1, Count("SELECT COUNT(*) FROM AuditEntries WHERE Entity = 'AppUser' AND Actor = 'zl user add' AND After NOT LIKE '%Str0ng%'"));
    }

    [Fact]
    public async Task ARegionalRoleNeedsAnExistingRegion()
    {
        var missing = await ZlAsync("Str0ng!Pass", "user", "add", "--name", "c1", "--role", "county");
        Assert.Equal(2, missing.Code);
        Assert.Contains("--region", missing.Err);
        var unknown = await ZlAsync("Str0ng!Pass", "user", "add", "--name", "c1", "--role", "county", "--region", "123456");
        Assert.Equal(2, unknown.Code);
        Assert.Contains("no region with code 123456", unknown.Err);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
