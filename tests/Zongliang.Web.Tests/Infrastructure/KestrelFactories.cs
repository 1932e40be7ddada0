using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Zongliang.Web.Tests.Infrastructure;

/// <summary>The web host on real sockets (web UI and HJ 212 listener), for browsers and data loggers.</summary>
public interface IRealServer
{
    int Hj212Port { get; }
    string BaseUrl { get; }
    IServiceProvider Services { get; }
}

internal static class RealServer
{
    /// <summary>The web UI's address: the bound address that is not the HJ 212 port.</summary>
    public static string BaseUrl(ZongliangFactory factory)
    {
        factory.StartServer();
        return factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First(a => !a.EndsWith(":" + factory.Hj212Port));
    }
}

public sealed class KestrelSqliteFactory : SqliteFactory, IRealServer
{
    public KestrelSqliteFactory() => UseKestrel();

    public string BaseUrl => RealServer.BaseUrl(this);
}

public sealed class KestrelPostgreSqlFactory : PostgreSqlFactory, IRealServer
{
    public KestrelPostgreSqlFactory() => UseKestrel();

    public string BaseUrl => RealServer.BaseUrl(this);
}

/// <summary>
/// Another instance of the platform on the database of <paramref name="first"/>: the second host of a
/// deployment with several. It neither migrates anything new nor drops the database.
/// </summary>
public sealed class SecondInstanceFactory : ZongliangFactory, IRealServer
{
    private readonly ZongliangFactory _first;

    public SecondInstanceFactory(ZongliangFactory first)
    {
        _first = first;
        UseKestrel();
    }

    protected override (string, string) Database => _first.DatabaseSetting;

    public string BaseUrl => RealServer.BaseUrl(this);
}
