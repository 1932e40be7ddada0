using Zongliang.Data.Monitoring;

namespace Zongliang.Web.Features.Monitoring;

public static class MonitoringHosting
{
    /// <summary>Validity rules (Validity:RulesDirectory), the aggregate store and the job that keeps hours and days current.</summary>
    public static IServiceCollection AddMonitoring(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(new ValidityRules(config["Validity:RulesDirectory"] is { Length: > 0 } dir ? dir : null));
        services.AddSingleton<AggregateStore>();
        services.AddSingleton<AggregationQueue>();
        services.AddSingleton<AggregationJob>();
        services.AddHostedService(sp => sp.GetRequiredService<AggregationJob>());
        return services;
    }
}
