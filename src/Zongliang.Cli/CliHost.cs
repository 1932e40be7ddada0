using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Zongliang.Data;
using Zongliang.Domain.Access;

namespace Zongliang.Cli;

/// <summary>
/// The services a command needs, configured like the web host: environment variables
/// (ConnectionStrings__Zongliang, Database__Provider, Database__DataDirectory) and an optional
/// appsettings.json in the working directory. Commands act with the system scope.
/// </summary>
public static class CliHost
{
    public static ServiceProvider Build()
    {
        var config = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(config);
        services.AddLogging(b => b.AddConsole().SetMinimumLevel(LogLevel.Warning));
        services.AddZongliangData(config);
        return services.BuildServiceProvider();
    }

    public static AsyncServiceScope SystemScope(this IServiceProvider services, string actor)
    {
        var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ScopeAccessor>().Scope = AccessScope.System(actor);
        return scope;
    }
}
