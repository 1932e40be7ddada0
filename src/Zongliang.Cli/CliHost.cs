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
    /// <summary>The configuration, as the web host reads it: appsettings.json in the working directory, then environment variables.</summary>
    public static IConfiguration Configuration() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .Build();

    /// <summary>The listener's port, where the host takes it from (Hj212:Port, e.g. Hj212__Port), for the commands that talk to it.</summary>
    public static int ListenerPort() => Configuration().GetValue("Hj212:Port", 5212);

    public static ServiceProvider Build()
    {
        var config = Configuration();
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

    /// <summary>A secret from standard input: one line when it is redirected, else typed at a prompt without echo.</summary>
    public static string? ReadSecret(string prompt)
    {
        if (Console.IsInputRedirected) return Console.In.ReadLine();
        Console.Write(prompt);
        var sb = new System.Text.StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace) { if (sb.Length > 0) sb.Length--; }
            else sb.Append(key.KeyChar);
        }
        Console.WriteLine();
        return sb.ToString();
    }
}
