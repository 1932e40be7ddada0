using Xunit;
using Zongliang.Data;
using Microsoft.EntityFrameworkCore;

namespace Zongliang.Web.Tests.Registry;

public class MigrationTests
{
    // A model change without a migration for each provider would leave one database behind the other.
    [Fact]
    public void SqliteMigrationsMatchTheModel()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "run dotnet ef migrations add for SqliteZongliangDbContext");
    }

    [Fact]
    public void PostgreSqlMigrationsMatchTheModel()
    {
        using var db = new PostgreSqlDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "run dotnet ef migrations add for PostgreSqlZongliangDbContext");
    }
}
