using System.Net;
using Microsoft.AspNetCore.Connections;
using Zongliang.Data.Monitoring;

namespace Zongliang.Web.Features.Ingestion;

public static class IngestionHosting
{
    /// <summary>The HJ 212 listener on its own port (Hj212:Address, Hj212:Port), and the path from it to the database; on an instance whose Host:Role includes the listener.</summary>
    public static WebApplicationBuilder AddHj212Listener(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<Hj212Options>().Bind(builder.Configuration.GetSection(Hj212Options.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IngestQueue>();
        builder.Services.AddSingleton<IngestStore>();
        builder.Services.AddSingleton<DeviceDirectory>();
        builder.Services.AddSingleton<AuthThrottle>();
        builder.Services.AddSingleton<ReadingsFeed>();
        builder.Services.AddSingleton<IngestMetrics>();
        builder.Services.AddSingleton<SplitMessages>();
        builder.Services.AddSingleton<ClockFaultRecorder>();
        var listener = Hosting.HostRoles.From(builder.Configuration).Listener;
        if (listener)
        {
            builder.Services.AddHostedService<ClockFaultJob>();
            builder.Services.AddHostedService<IngestWriter>();
        }

        var options = builder.Configuration.GetSection(Hj212Options.Section).Get<Hj212Options>() ?? new Hj212Options();
        if (!options.Enabled || !listener) return builder;
        // An endpoint declared in code replaces "Urls", so the web UI's endpoints are declared here too.
        // The default is here, not in appsettings.json: a "Urls" in any configuration file makes Kestrel warn
        // that it overrides it (the host reads its own copy of the settings before this runs).
        var urls = builder.Configuration["Urls"] is { Length: > 0 } configured ? configured : "http://127.0.0.1:5080";
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, "");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var uri = new Uri(url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"));
                kestrel.Listen(uri.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(uri.Host), uri.Port);
            }
            kestrel.Listen(IPAddress.Parse(options.Address), options.Port, l => l.UseConnectionHandler<Hj212ConnectionHandler>());
        });
        return builder;
    }
}
