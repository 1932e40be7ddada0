using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Zongliang.Data.Identity;

namespace Zongliang.Data;

public static class DataServices
{
    /// <summary>
    /// Registers the database of the configured provider, the scope holder and Identity's user store.
    /// Returns the Identity builder so that the web host can add sign-in on top.
    /// </summary>
    public static IdentityBuilder AddZongliangData(this IServiceCollection services, IConfiguration config)
    {
        var settings = DatabaseSettings.From(config);
        services.AddSingleton(settings);
        Security.DevicePasswords.Configure(config, settings);
        services.AddScoped<ScopeAccessor>();
        services.TryAddSingleton(TimeProvider.System);
        // Several instances may share the database: each signs its claims and job leases.
        services.TryAddSingleton<InstanceName>();
        services.TryAddSingleton<JobLeases>();

        switch (settings.Provider)
        {
            case DatabaseProvider.PostgreSql:
                services.AddDbContext<PostgreSqlZongliangDbContext>(o => o.UseNpgsql(settings.ConnectionString));
                services.AddScoped<ZongliangDbContext>(sp => sp.GetRequiredService<PostgreSqlZongliangDbContext>());
                break;
            default:
                // SQLite cannot alter a column in place: EF rebuilds the table, switching foreign keys off
                // around it, which SQLite allows only outside a transaction. Two migrations do (Offsets,
                // ReadingsKeyByTime); that is by design, so EF's warning about it is not a newcomer's concern.
                services.AddDbContext<SqliteZongliangDbContext>(o => o.UseSqlite(settings.ConnectionString)
                    .ConfigureWarnings(w => w.Log((Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.NonTransactionalMigrationOperationWarning, Microsoft.Extensions.Logging.LogLevel.Debug))));
                services.AddScoped<ZongliangDbContext>(sp => sp.GetRequiredService<SqliteZongliangDbContext>());
                break;
        }

        return services
            .AddIdentityCore<AppUser>(o =>
            {
                o.Password.RequiredLength = 8;
                o.Password.RequireDigit = true;
                o.Password.RequireLowercase = true;
                o.Password.RequireUppercase = true;
                o.Password.RequireNonAlphanumeric = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<ZongliangDbContext>();
    }
}
