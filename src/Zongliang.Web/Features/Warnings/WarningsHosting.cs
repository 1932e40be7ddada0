using Zongliang.Data;
using Zongliang.Data.Monitoring;
using Zongliang.Domain.Warnings;

namespace Zongliang.Web.Features.Warnings;

public static class WarningsHosting
{
    /// <summary>The warning rules (Validity:RulesDirectory), the service that follows the aggregates, the minute sweep and the outbox sender.</summary>
    public static IServiceCollection AddWarnings(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(WarningRules.Load(config["Validity:RulesDirectory"] is { Length: > 0 } dir ? dir : null));
        services.AddSingleton<WarningSignal>();
        services.AddSingleton<WarningService>();
        services.AddSingleton<IAggregatesObserver>(sp => sp.GetRequiredService<WarningService>());
        if (Hosting.HostRoles.From(config).Jobs)
        {
            services.AddHostedService<WarningSweepJob>();
            services.AddHostedService<OutboxSender>();
        }
        return services;
    }
}

/// <summary>
/// Runs the device, comparison, regional-total and case-deadline checks every minute (Warnings:SweepSeconds),
/// on one instance of those sharing the database: the one holding the "warning-sweep" lease, renewed each
/// round; when it stops, another takes over within three rounds.
/// </summary>
public sealed class WarningSweepJob(WarningService warnings, JobLeases leases, IConfiguration config, TimeProvider clock, ILogger<WarningSweepJob> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(Math.Max(5, config.GetValue("Warnings:SweepSeconds", 60)));
        if (!config.GetValue("Warnings:Sweep", true)) return;
        using var timer = new PeriodicTimer(every, clock);
        do
        {
            try
            {
                if (await leases.TryHoldAsync("warning-sweep", every * 3, stoppingToken))
                    await warnings.SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogError(ex, "The warning sweep failed; it runs again in {Every}", every);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>A stopping instance gives the lease up, so that another (or this one, restarted) takes over at once.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await leases.ReleaseQuietlyAsync("warning-sweep", log);
    }
}
