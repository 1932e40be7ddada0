using Microsoft.Extensions.Configuration;

namespace Zongliang.Data;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>
/// Which database to use. Configuration: <c>Database:Provider</c> (Sqlite or PostgreSql),
/// <c>ConnectionStrings:Zongliang</c>, and for SQLite <c>Database:DataDirectory</c> (default "data",
/// relative to the working directory) when no connection string is given.
/// </summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString, string? DataDirectory)
{
    public static DatabaseSettings From(IConfiguration config)
    {
        var providerText = config["Database:Provider"] ?? nameof(DatabaseProvider.Sqlite);
        if (!Enum.TryParse<DatabaseProvider>(providerText, ignoreCase: true, out var provider))
            throw new InvalidOperationException(
                $"Database:Provider is '{providerText}'; use Sqlite or PostgreSql.");

        var connection = config.GetConnectionString("Zongliang");
        if (!string.IsNullOrWhiteSpace(connection))
            return new DatabaseSettings(provider, connection, null);

        if (provider == DatabaseProvider.PostgreSql)
            throw new InvalidOperationException(
                "Database:Provider is PostgreSql but ConnectionStrings:Zongliang is empty. " +
                "Set it, e.g. ConnectionStrings__Zongliang=\"Host=127.0.0.1;Database=zongliang;Username=zongliang;Password=…\".");

        var dir = Path.GetFullPath(config["Database:DataDirectory"] ?? "data");
        return new DatabaseSettings(provider, $"Data Source={Path.Combine(dir, "zongliang.db")};Default Timeout=30", dir);
    }
}
