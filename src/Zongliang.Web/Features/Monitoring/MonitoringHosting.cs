using Zongliang.Data.Monitoring;

namespace Zongliang.Web.Features.Monitoring;

public static class MonitoringHosting
{
    /// <summary>Validity rules, plausible ranges and comparison limits (Validity:RulesDirectory), the aggregate store, the job that keeps hours and days current, and the comparison schedule.</summary>
    public static IServiceCollection AddMonitoring(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(new ValidityRules(config["Validity:RulesDirectory"] is { Length: > 0 } dir ? dir : null));
        // The plausible ranges of amounts and dates, from the same folder (rules/plausible-ranges.json), in force for the Domain's checks.
        Domain.Common.PlausibleRanges.Use(Domain.Common.PlausibleRanges.Load(config["Validity:RulesDirectory"] is { Length: > 0 } r ? r : null));
        services.AddSingleton<AggregateStore>();
        services.AddSingleton<AggregationQueue>();
        services.AddSingleton<RecomputeQueue>();
        services.AddSingleton<AggregationJob>();
        var jobs = Hosting.HostRoles.From(config).Jobs;
        if (jobs) services.AddHostedService(sp => sp.GetRequiredService<AggregationJob>());
        services.AddSingleton(Domain.Monitoring.Comparison.ComparisonLimits.Load(config["Validity:RulesDirectory"] is { Length: > 0 } d ? d : null));
        services.AddSingleton<ComparisonService>();
        if (jobs) services.AddHostedService<ComparisonJob>();
        return services;
    }
}
