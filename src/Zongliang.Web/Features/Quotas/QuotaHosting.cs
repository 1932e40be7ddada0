using Zongliang.Domain.Quotas;

namespace Zongliang.Web.Features.Quotas;

public static class QuotaHosting
{
    /// <summary>The routing rules (Quotas:RoutingFile; default: the shipped rules/quota-routing.json) and the verification workflow.</summary>
    public static IServiceCollection AddQuotas(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(QuotaRouting.Load(config["Quotas:RoutingFile"] is { Length: > 0 } file ? file : null));
        services.AddSingleton(OffsetRatios.Load(config["Quotas:OffsetsFile"] is { Length: > 0 } offsets ? offsets : null));
        services.AddSingleton<VerificationService>();
        return services;
    }
}
