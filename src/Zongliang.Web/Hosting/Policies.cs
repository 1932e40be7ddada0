using Microsoft.AspNetCore.Authorization;
using Zongliang.Domain.Access;

namespace Zongliang.Web.Hosting;

/// <summary>What each role may do; which records it may do it to is the scope's business.</summary>
public static class Policies
{
    public const string RegistryWrite = "registry-write";
    public const string DeviceLifecycle = "device-lifecycle";
    public const string Administration = "administration";
    public const string DataAudit = "data-audit";
    public const string QuotaLedger = "quota-ledger";
    public const string QuotaWrite = "quota-write";

    public static void Add(AuthorizationOptions o)
    {
        o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        o.AddPolicy(RegistryWrite, p => p.RequireRole(Roles.Admin, Roles.CityOffice, Roles.County));
        o.AddPolicy(DeviceLifecycle, p => p.RequireRole(Roles.Admin, Roles.CityOffice, Roles.County, Roles.MonitoringStation));
        o.AddPolicy(Administration, p => p.RequireRole(Roles.Admin));
        // 数据有效性审核: the bureaus of the region and the monitoring station.
        o.AddPolicy(DataAudit, p => p.RequireRole(Roles.Admin, Roles.CityOffice, Roles.County, Roles.MonitoringStation));
        // 总量台账: every bureau role reads the ledgers of its region; enterprises do not.
        o.AddPolicy(QuotaLedger, p => p.RequireRole(Roles.Admin, Roles.Province, Roles.CityOffice, Roles.County, Roles.MonitoringStation, Roles.Inspection, Roles.Supervision));
        o.AddPolicy(QuotaWrite, p => p.RequireRole(Roles.Admin, Roles.CityOffice, Roles.County));
    }
}
