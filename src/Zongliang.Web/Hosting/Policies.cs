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
    public const string ComparisonRecord = "comparison-record";
    public const string QuotaLedger = "quota-ledger";
    public const string QuotaWrite = "quota-write";
    public const string CaseOpen = "case-open";
    public const string CaseHandle = "case-handle";
    public const string CaseConfirm = "case-confirm";
    public const string SupervisionRead = "supervision-read";
    public const string SupervisionWrite = "supervision-write";
    public const string TreatmentIssue = "treatment-issue";
    public const string TreatmentReport = "treatment-report";
    public const string TreatmentCheck = "treatment-check";

    public static void Add(AuthorizationOptions o)
    {
        o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        o.AddPolicy(RegistryWrite, p => p.RequireRole(Roles.Admin, Roles.CityOffice, Roles.County));
        o.AddPolicy(DeviceLifecycle, p => p.RequireRole(Roles.Admin, Roles.CityOffice, Roles.County, Roles.MonitoringStation));
        o.AddPolicy(Administration, p => p.RequireRole(Roles.Admin));
        // 数据有效性审核: the bureaus of the region and the monitoring station.
        o.AddPolicy(DataAudit, p => p.RequireRole(Roles.Admin, Roles.CityOffice, Roles.County, Roles.MonitoringStation));
        // 比对监测: the monitoring station samples, records and evaluates; the bureaus follow the tasks.
        o.AddPolicy(ComparisonRecord, p => p.RequireRole(Roles.Admin, Roles.MonitoringStation));
        // 总量台账: every bureau role reads the ledgers of its region; enterprises do not.
        o.AddPolicy(QuotaLedger, p => p.RequireRole(Roles.Admin, Roles.Province, Roles.CityOffice, Roles.County, Roles.MonitoringStation, Roles.Inspection, Roles.Supervision));
        o.AddPolicy(QuotaWrite, p => p.RequireRole(Roles.Admin, Roles.CityOffice, Roles.County));
        // 部门联动: the bureaus, the station and supervision hand a matter to inspection; inspection assigns,
        // checks and handles it; the monitoring station confirms the result. Any of them may reopen it.
        o.AddPolicy(CaseOpen, p => p.RequireRole(Roles.Admin, Roles.CityOffice, Roles.County, Roles.MonitoringStation, Roles.Inspection, Roles.Supervision));
        o.AddPolicy(CaseHandle, p => p.RequireRole(Roles.Admin, Roles.Inspection));
        o.AddPolicy(CaseConfirm, p => p.RequireRole(Roles.Admin, Roles.MonitoringStation));
        // 监督性监测: the monitoring station plans and samples; the bureaus read; enterprises are not told when they will be sampled.
        o.AddPolicy(SupervisionRead, p => p.RequireRole(Roles.Admin, Roles.Province, Roles.CityOffice, Roles.County, Roles.MonitoringStation, Roles.Inspection, Roles.Supervision));
        o.AddPolicy(SupervisionWrite, p => p.RequireRole(Roles.Admin, Roles.MonitoringStation));
        // 限期治理: the city office issues lists; the county and the enterprise report progress; inspection, supervision and the county record spot checks.
        o.AddPolicy(TreatmentIssue, p => p.RequireRole(Roles.Admin, Roles.CityOffice));
        o.AddPolicy(TreatmentReport, p => p.RequireRole(Roles.Admin, Roles.CityOffice, Roles.County, Roles.Enterprise));
        o.AddPolicy(TreatmentCheck, p => p.RequireRole(Roles.Admin, Roles.CityOffice, Roles.County, Roles.Inspection, Roles.Supervision));
    }
}
