namespace Zongliang.Domain.Access;

/// <summary>The roles of DESIGN.md "Users and scope". Names are stable identifiers stored with users.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Province = "province";
    public const string CityOffice = "city-office";
    public const string MonitoringStation = "monitoring-station";
    public const string Inspection = "inspection";
    public const string Supervision = "supervision";
    public const string County = "county";
    public const string Enterprise = "enterprise";

    public static readonly IReadOnlyList<string> All =
        [Admin, Province, CityOffice, MonitoringStation, Inspection, Supervision, County, Enterprise];

    /// <summary>zh-CN label shown in the UI.</summary>
    public static string Label(string role) => role switch
    {
        Admin => "系统管理员",
        Province => "省总量办",
        CityOffice => "市总量办",
        MonitoringStation => "市监测站",
        Inspection => "市环境监察",
        Supervision => "市监管科",
        County => "县区环保局",
        Enterprise => "排污单位",
        _ => role,
    };

    /// <summary>Roles whose users are bound to a region (their region and everything below it).</summary>
    public static bool IsRegional(string role) =>
        role is CityOffice or MonitoringStation or Inspection or Supervision or County;

    /// <summary>Whether a user of the role is bound to a region: the regional roles always, the province when one is given (a province of several).</summary>
    public static bool BindsRegion(string role, bool regionGiven) => IsRegional(role) || role == Province && regionGiven;

    /// <summary>Roles that see every region.</summary>
    public static bool SeesEverything(string role) => role is Admin or Province;
}
