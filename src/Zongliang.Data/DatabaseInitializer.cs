using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Zongliang.Domain.Access;
using Zongliang.Domain.Registry;

namespace Zongliang.Data;

/// <summary>Brings a database to the current schema with its reference data (roles, factor catalog).</summary>
public static class DatabaseInitializer
{
    public static async Task InitializeAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        sp.GetRequiredService<ScopeAccessor>().Scope = AccessScope.System("migration");
        var settings = sp.GetRequiredService<DatabaseSettings>();
        if (settings.DataDirectory is not null) Directory.CreateDirectory(settings.DataDirectory);

        var db = sp.GetRequiredService<ZongliangDbContext>();
        await db.Database.MigrateAsync(ct);
        if (settings.Provider == DatabaseProvider.Sqlite)
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);

        await SeedFactorsAsync(db, ct);
        await EncryptDevicePasswordsAsync(db, ct);

        var roles = sp.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole(role));
    }

    /// <summary>Encrypts device passwords stored before they were encrypted at rest (a database from an earlier version).</summary>
    private static async Task EncryptDevicePasswordsAsync(ZongliangDbContext db, CancellationToken ct)
    {
        var plain = await db.Database.SqlQueryRaw<StoredPassword>(
            "SELECT \"Id\", \"AccessPassword\" FROM \"Devices\" WHERE \"AccessPassword\" NOT LIKE 'enc1:%'").ToListAsync(ct);
        if (plain.Count == 0) return;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var p in plain)
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"UPDATE \"Devices\" SET \"AccessPassword\" = {Security.DevicePasswords.Protect(p.AccessPassword)} WHERE \"Id\" = {p.Id}", ct);
        await tx.CommitAsync(ct);
    }

    private sealed record StoredPassword(int Id, string AccessPassword);

    /// <summary>Adds the factors of the HJ 212-2017 catalog that the database does not have yet; edits made by a bureau stay.</summary>
    private static async Task SeedFactorsAsync(ZongliangDbContext db, CancellationToken ct)
    {
        var existing = (await db.Factors.Select(f => f.Code).ToListAsync(ct)).ToHashSet();
        var missing = LoadFactorCatalog().Where(f => !existing.Contains(f.Code)).ToList();
        if (missing.Count == 0) return;
        db.Factors.AddRange(missing);
        await db.SaveChangesAsync(ct);
    }

    public static IReadOnlyList<Factor> LoadFactorCatalog()
    {
        using var stream = typeof(DatabaseInitializer).Assembly.GetManifestResourceStream("Zongliang.Data.Seeding.factors.json")
            ?? throw new InvalidOperationException("factor catalog resource missing");
        var doc = JsonSerializer.Deserialize<CatalogFile>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        return doc.Factors.Select(f => new Factor(f.Code, f.Name, Enum.Parse<Medium>(f.Medium), f.Unit, f.MassUnit, f.Code2005, f.IsParameter)).ToList();
    }

    private sealed record CatalogFile(List<CatalogFactor> Factors);

    private sealed record CatalogFactor(string Code, string Name, string Medium, string Unit, string MassUnit, string Code2005, bool IsParameter);
}
