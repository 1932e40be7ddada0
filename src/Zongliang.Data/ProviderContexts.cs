using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Zongliang.Data;

// One subclass per provider, each with its own migrations folder (Migrations/Sqlite, Migrations/PostgreSql).
// Code depends on ZongliangDbContext only.

public sealed class SqliteZongliangDbContext(DbContextOptions<SqliteZongliangDbContext> options, ScopeAccessor scope, TimeProvider clock)
    : ZongliangDbContext(options, scope, clock);

public sealed class PostgreSqlZongliangDbContext(DbContextOptions<PostgreSqlZongliangDbContext> options, ScopeAccessor scope, TimeProvider clock)
    : ZongliangDbContext(options, scope, clock);

/// <summary>Used by `dotnet ef migrations add … --context SqliteZongliangDbContext`.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteZongliangDbContext>
{
    public SqliteZongliangDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteZongliangDbContext>().UseSqlite("Data Source=design.db").Options,
            new ScopeAccessor(), TimeProvider.System);
}

/// <summary>Used by `dotnet ef migrations add … --context PostgreSqlZongliangDbContext`.</summary>
public sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlZongliangDbContext>
{
    public PostgreSqlZongliangDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlZongliangDbContext>().UseNpgsql("Host=localhost;Database=zongliang").Options,
            new ScopeAccessor(), TimeProvider.System);
}
