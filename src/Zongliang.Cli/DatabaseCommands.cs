using System.CommandLine;
using Zongliang.Data;
using Zongliang.Data.Seeding;

namespace Zongliang.Cli;

public static class DatabaseCommands
{
    public static Command Create()
    {
        var migrate = new Command("migrate", "Create or update the database schema and its reference data (roles, factor catalog)");
        migrate.SetAction(async (_, ct) =>
        {
            await using var services = CliHost.Build();
            await DatabaseInitializer.InitializeAsync(services, ct);
            Console.WriteLine("database is up to date");
            return 0;
        });

        var seed = new Command("seed-demo", "Load the fictional demo city and its demo accounts (for demonstrations only)");
        seed.SetAction(async (_, ct) =>
        {
            await using var services = CliHost.Build();
            await DatabaseInitializer.InitializeAsync(services, ct);
            var loaded = await DemoCity.SeedAsync(services, ct);
            Console.WriteLine(loaded ? "demo city loaded" : "the database already has regions; nothing loaded");
            return 0;
        });

        return new Command("db", "Database") { migrate, seed };
    }
}
