using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;
using Zongliang.Data;
using Zongliang.Data.Seeding;
using Zongliang.Domain.Access;

namespace Zongliang.Web.Tests.Infrastructure;

/// <summary>
/// The real web host on a real database with the demo city loaded. Subclasses choose the database;
/// the same test classes run on each (see the *OnSqlite / *OnPostgreSql classes).
/// </summary>
public abstract class ZongliangFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    protected abstract (string Provider, string ConnectionString) Database { get; }

    /// <summary>The HJ 212 listener's port: a free one per factory, so test hosts and a running demo do not collide.</summary>
    public int Hj212Port { get; } = FreePort();

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var (provider, connection) = Database;
        builder.UseEnvironment("Testing");
        builder.UseSetting("Zongliang:Demo", "true");
        builder.UseSetting("Database:Provider", provider);
        builder.UseSetting("ConnectionStrings:Zongliang", connection);
        builder.UseSetting("Urls", "http://127.0.0.1:0");
        builder.UseSetting("Hj212:Port", Hj212Port.ToString());
        builder.UseSetting("Hj212:FrameTimeout", "00:00:02");
        // Hosts judge the demo history only when a test asks (ReadyAsync in the monitoring tests):
        // a dozen hosts doing it on start would compete for the machine's two cores.
        builder.UseSetting("Validity:CatchUpOnStart", "false");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        // The minute warning sweep runs when a test asks (SweepAsync), like the catch-up.
        builder.UseSetting("Warnings:Sweep", "false");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
    }

    /// <summary>Settings of this host beyond the test defaults (set before the host starts).</summary>
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>The database this host runs on, for a second instance on the same one.</summary>
    internal (string Provider, string ConnectionString) DatabaseSetting => Database;

    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <summary>A client with its own cookie jar, signed in as a demo user.</summary>
    public async Task<HttpClient> SignedInAsync(string user)
    {
        var options = new WebApplicationFactoryClientOptions { AllowAutoRedirect = false };
        if (this is IRealServer server) options.BaseAddress = new Uri(server.BaseUrl); // Kestrel on a port of its own, not the in-memory server
        var client = CreateClient(options);
        var response = await client.PostAsJsonAsync("/api/v1/session", new { userName = user, password = DemoCity.DemoPassword });
        Assert.True(response.IsSuccessStatusCode, $"sign-in of {user} failed: {response.StatusCode}");
        return client;
    }

    /// <summary>Runs a query against the database with the whole-registry scope (for finding test subjects).</summary>
    public async Task<T> QueryAsync<T>(Func<ZongliangDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ScopeAccessor>().Scope = AccessScope.System("test");
        return await query(scope.ServiceProvider.GetRequiredService<ZongliangDbContext>());
    }

    /// <summary>A unit of work with the given scope, as the web host would set it for a user.</summary>
    public async Task WithScopeAsync(AccessScope accessScope, Func<ZongliangDbContext, Task> work)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ScopeAccessor>().Scope = accessScope;
        await work(scope.ServiceProvider.GetRequiredService<ZongliangDbContext>());
    }

    /// <summary>Judges the demo history now: what the aggregation job does on start, then waits for it to finish.</summary>
    public async Task AggregatedAsync()
    {
        var job = Services.GetRequiredService<Zongliang.Web.Features.Monitoring.AggregationJob>();
        await job.CatchUpAsync(CancellationToken.None);
        await job.RunOnceAsync(CancellationToken.None);
    }

    public Task<int> RegionIdAsync(string code) => QueryAsync(db => db.Regions.Where(r => r.Code == code).Select(r => r.Id).SingleAsync());
}

/// <summary>SQLite in a file of its own, as the embedded default runs.</summary>
public class SqliteFactory : ZongliangFactory
{
    private readonly string _dir = Directory.CreateTempSubdirectory("zl-test-").FullName;

    protected override (string, string) Database => ("Sqlite", $"Data Source={Path.Combine(_dir, "zongliang.db")}");

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>
/// PostgreSQL, when ZL_TEST_POSTGRES gives a server (a connection string without a database): each
/// factory creates a database of its own and drops it afterwards. Without a server the tests are
/// skipped, unless ZL_REQUIRE_POSTGRES=1 (as in CI), where they fail.
/// </summary>
public class PostgreSqlFactory : ZongliangFactory
{
    private static readonly string? PostgresServer = Environment.GetEnvironmentVariable("ZL_TEST_POSTGRES");
    private readonly string _database = "zl_test_" + Guid.NewGuid().ToString("N")[..12];

    protected override (string, string) Database =>
        ("PostgreSql", new NpgsqlConnectionStringBuilder(PostgresServer) { Database = _database }.ConnectionString);

    public static void SkipUnlessAvailable()
    {
        if (!string.IsNullOrEmpty(PostgresServer)) return;
        if (Environment.GetEnvironmentVariable("ZL_REQUIRE_POSTGRES") == "1")
            Assert.Fail("ZL_REQUIRE_POSTGRES=1 but ZL_TEST_POSTGRES is not set");
        Assert.Skip("no PostgreSQL server: set ZL_TEST_POSTGRES to run these tests on PostgreSQL");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (string.IsNullOrEmpty(PostgresServer)) return;
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(PostgresServer) { Database = "postgres" }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
