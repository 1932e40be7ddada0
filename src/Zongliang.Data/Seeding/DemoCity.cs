using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Zongliang.Data.Identity;
using Zongliang.Domain.Access;
using Zongliang.Domain.Common;
using Zongliang.Domain.Registry;

namespace Zongliang.Data.Seeding;

/// <summary>
/// A fictional city (青川市 in 河洛省) for demonstration and tests: 11 county-level regions, about 60
/// enterprises, 120 outlets and 100 site-end devices in every lifecycle state, and a user for every
/// role. Generated from a fixed seed, so every run builds the same city. Only loaded in demo mode.
/// </summary>
public static class DemoCity
{
    /// <summary>Password of every demo account. Demo mode only; the README lists the accounts.</summary>
    public const string DemoPassword = "Demo@2026";

    public const string ProvinceCode = "950000";
    public const string CityCode = "950100";

    // Region codes start with 95, which GB/T 2260 does not use, so no code is mistaken for a real one.
    public static readonly IReadOnlyList<(string Code, string Name, RegionKind Kind, string Login)> Counties =
    [
        ("950102", "河东区", RegionKind.District, "hedong"),
        ("950103", "河西区", RegionKind.District, "hexi"),
        ("950104", "新城区", RegionKind.District, "xincheng"),
        ("950121", "北山县", RegionKind.County, "beishan"),
        ("950122", "南湖县", RegionKind.County, "nanhu"),
        ("950123", "青石县", RegionKind.County, "qingshi"),
        ("950124", "白沙县", RegionKind.County, "baisha"),
        ("950125", "临川县", RegionKind.County, "linchuan"),
        ("950171", "高新技术产业开发区", RegionKind.Zone, "gaoxin"),
        ("950172", "经济技术开发区", RegionKind.Zone, "jingkai"),
        ("950173", "航空港经济综合实验区", RegionKind.Zone, "konggang"),
    ];

    /// <summary>City-level and province accounts: user name, display name, role, region code.</summary>
    public static readonly IReadOnlyList<(string User, string Name, string Role, string? Region)> StaffAccounts =
    [
        ("admin", "系统管理员", Roles.Admin, null),
        ("province", "省总量办 张明", Roles.Province, ProvinceCode),
        ("city", "市总量办 李华", Roles.CityOffice, CityCode),
        ("station", "市监测站 王强", Roles.MonitoringStation, CityCode),
        ("inspect", "市环境监察支队 赵刚", Roles.Inspection, CityCode),
        ("supervise", "市监管科 陈静", Roles.Supervision, CityCode),
    ];

    private sealed record Industry(string Name, string Word, ProductionMode Mode, string? Periods, int Boilers,
        (string Standard, (string Code, decimal? Limit)[] Factors)? Water,
        (string Standard, decimal Oxygen, (string Code, decimal? Limit)[] Factors)? Gas);

    // Limits are the emission standards' values for existing sources (mg/L, mg/m³), the usual ones on permits.
    private static readonly (string Code, decimal? Limit)[] WaterParams = [("w00000", null), ("w01001", null)];
    private static readonly (string Code, decimal? Limit)[] GasParams = [("a00000", null), ("a19001", null), ("a01012", null), ("a01013", null), ("a01014", null)];

    private static readonly Industry[] Industries =
    [
        new("火力发电", "热电", ProductionMode.Continuous, null, 3, null,
            ("GB 13223-2011", 6m, [("a21026", 100m), ("a21002", 100m), ("a34013", 20m)])),
        new("造纸", "纸业", ProductionMode.Continuous, null, 2,
            ("GB 3544-2008", [("w01018", 90m), ("w21003", 8m), ("w21011", 0.8m)]),
            ("GB 13271-2014", 9m, [("a21026", 300m), ("a21002", 300m), ("a34013", 50m)])),
        new("化学原料制造", "化工", ProductionMode.Continuous, null, 1,
            ("GB 8978-1996", [("w01018", 100m), ("w21003", 15m)]),
            ("GB 16297-1996", 0m, [("a21026", 550m), ("a21002", 240m)])),
        new("水泥制造", "水泥", ProductionMode.Continuous, null, 0, null,
            ("GB 4915-2013", 10m, [("a34013", 30m), ("a21026", 200m), ("a21002", 400m)])),
        new("纺织印染", "印染", ProductionMode.Continuous, null, 1,
            ("GB 4287-2012", [("w01018", 80m), ("w21003", 10m), ("w21011", 0.5m)]), null),
        new("化学药品制造", "制药", ProductionMode.Continuous, null, 0,
            ("GB 21904-2008", [("w01018", 120m), ("w21003", 25m)]),
            ("GB 37823-2019", 0m, [("a24088", 60m)])),
        new("淀粉制造", "淀粉", ProductionMode.Seasonal, "09-01~12-31", 1,
            ("GB 25461-2010", [("w01018", 100m), ("w21003", 15m), ("w21011", 1m)]), null),
        new("制糖", "糖业", ProductionMode.Seasonal, "11-01~03-31", 2,
            ("GB 21909-2008", [("w01018", 100m), ("w21003", 10m)]),
            ("GB 13271-2014", 9m, [("a21026", 300m), ("a21002", 300m), ("a34013", 50m)])),
        new("污水处理", "污水处理", ProductionMode.Continuous, null, 0,
            ("GB 18918-2002 一级A", [("w01018", 50m), ("w21003", 5m), ("w21011", 0.5m), ("w21001", 15m)]), null),
        new("炼焦", "焦化", ProductionMode.Continuous, null, 1,
            ("GB 16171-2012", [("w01018", 80m), ("w21003", 10m)]),
            ("GB 16171-2012", 8m, [("a21026", 50m), ("a21002", 500m), ("a34013", 30m)])),
        new("金属表面处理", "电镀", ProductionMode.Continuous, null, 0,
            ("GB 21900-2008", [("w01018", 80m), ("w21003", 15m), ("w20116", 1.0m), ("w20121", 0.5m)]), null),
        new("罐头食品制造", "食品", ProductionMode.Seasonal, "06-01~10-31", 1,
            ("GB 8978-1996", [("w01018", 100m), ("w21003", 15m)]), null),
    ];

    private static readonly string[] Brands =
    [
        "宏达", "华源", "恒信", "金河", "瑞丰", "永安", "天成", "鑫源", "润泽", "昌盛", "东方", "新澳", "广宇", "中联", "盛华",
        "汇通", "长青", "鼎盛", "丰泽", "嘉禾", "远航", "万通", "信达", "佳美", "银河", "龙腾", "福源", "兴业", "明珠", "康宁",
    ];

    private static readonly DeviceState[] LifecyclePattern =
    [
        DeviceState.Networked, DeviceState.Registered, DeviceState.Networked, DeviceState.Installed, DeviceState.Accepted,
        DeviceState.Networked, DeviceState.Networked, DeviceState.Installed, DeviceState.Networked, DeviceState.Accepted,
        DeviceState.Networked, DeviceState.Networked,
    ];

    private static readonly string[] Makers = ["青川环科", "河洛仪表", "华测在线", "中原分析仪器"];
    private static readonly string[] Staff = ["刘伟", "周敏", "孙磊", "吴婷", "郑浩", "冯雪", "何军", "许丽"];

    /// <summary>Loads the demo city when the database has no regions yet. Returns false when it was already there.</summary>
    public static async Task<bool> SeedAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        sp.GetRequiredService<ScopeAccessor>().Scope = AccessScope.System("demo-seed");
        var db = sp.GetRequiredService<ZongliangDbContext>();
        if (await db.Regions.AnyAsync(ct)) return false;

        var clock = sp.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow().UtcDateTime;
        var today = BeijingTime.Today(clock);
        var rng = new Random(2026);

        var province = new Region(ProvinceCode, "河洛省", RegionKind.Province, null);
        var city = new Region(CityCode, "青川市", RegionKind.City, province);
        var counties = Counties.Select(c => new Region(c.Code, c.Name, c.Kind, city)).ToList();
        db.Regions.AddRange([province, city, .. counties]);
        await db.SaveChangesAsync(ct);

        var factors = await db.Factors.ToDictionaryAsync(f => f.Code, ct);
        var enterprises = BuildEnterprises(counties, factors, rng);
        db.Enterprises.AddRange(enterprises);
        await db.SaveChangesAsync(ct);

        db.Devices.AddRange(BuildDevices(enterprises, now, today, rng));
        await db.SaveChangesAsync(ct);
        await DemoHistory.SeedAsync(db, now, days: 3, ct);
        DemoLedger.Seed(db, counties, enterprises, today, rng);
        await db.SaveChangesAsync(ct);
        await DemoSupervision.SeedAsync(db, enterprises, today, now, rng, ct);

        await CreateUsersAsync(sp.GetRequiredService<UserManager<AppUser>>(), city, province, counties, enterprises);
        return true;
    }

    private static List<Enterprise> BuildEnterprises(List<Region> counties, Dictionary<string, Factor> factors, Random rng)
    {
        var list = new List<Enterprise>();
        var usedNames = new HashSet<string>();
        const string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        for (var i = 0; i < 60; i++)
        {
            var county = counties[i % counties.Count];
            // Development zones get more industry; every county gets a sewage plant early on.
            var industry = i < counties.Count ? Industries[8] : Industries[rng.Next(Industries.Length)];
            string name;
            do name = $"青川市{Brands[rng.Next(Brands.Length)]}{industry.Word}有限公司";
            while (!usedNames.Add(name));

            var code17 = "91" + county.Code + string.Concat(Enumerable.Range(0, 9).Select(_ => alphabet[rng.Next(alphabet.Length)]));
            var e = new Enterprise(name, Enterprise.WithCheckCharacter(code17), county)
            {
                Industry = industry.Name,
                Address = $"{county.Name}{Brands[rng.Next(Brands.Length)]}路{rng.Next(1, 300)}号",
                Contact = Staff[rng.Next(Staff.Length)],
                Phone = $"0399-{rng.Next(6000000, 6999999)}",
                ControlLevel = (i % 10) switch { 0 or 1 => ControlLevel.National, 2 or 3 or 4 => ControlLevel.Provincial, 5 or 6 or 7 => ControlLevel.City, _ => ControlLevel.None },
                ProductionMode = industry.Mode,
                ProductionPeriods = industry.Periods ?? "",
                CoalBoilers = industry.Boilers == 0 ? 0 : rng.Next(1, industry.Boilers + 1),
            };
            e.CoalBoilerCapacity = e.CoalBoilers * (industry.Word == "热电" ? 130m : 10m);
            list.Add(e);
            AddOutlets(e, industry, factors, rng);
        }
        return list;
    }

    private static void AddOutlets(Enterprise e, Industry industry, Dictionary<string, Factor> factors, Random rng)
    {
        if (industry.Water is { } w)
        {
            var o = e.AddOutlet("DW001", "废水总排口", Medium.Water);
            o.Standard = w.Standard;
            foreach (var (code, limit) in WaterParams.Concat(w.Factors)) o.SetFactor(factors[code], limit);
            // First-class pollutants (heavy metals) are monitored where the workshop discharges (GB 8978-1996 §4.2.1.1).
            if (industry.Word == "电镀")
            {
                var shop = e.AddOutlet("DW002", "电镀车间废水排口", Medium.Water);
                shop.Standard = w.Standard;
                foreach (var (code, limit) in WaterParams.Concat(w.Factors.Where(f => f.Code.StartsWith("w20"))))
                    shop.SetFactor(factors[code], limit);
            }
        }
        if (industry.Gas is { } g)
        {
            // Power plants have a stack per boiler; cement kilns a kiln head and a kiln tail; coke ovens a stack and a ground station.
            string[] stacks = industry.Word switch
            {
                "热电" => ["1号锅炉烟囱", "2号锅炉烟囱", "3号锅炉烟囱"],
                "水泥" => ["窑头排放口", "窑尾排放口"],
                "焦化" => ["焦炉烟囱", "装煤出焦地面站"],
                _ => e.CoalBoilers > 1 ? ["1号锅炉烟囱", "2号锅炉烟囱"] : ["锅炉废气排放口"],
            };
            for (var s = 1; s <= stacks.Length; s++)
            {
                var o = e.AddOutlet($"DA{s:000}", stacks[s - 1], Medium.Gas);
                o.Standard = g.Standard;
                o.ReferenceOxygen = g.Oxygen == 0 ? null : g.Oxygen;
                foreach (var (code, limit) in GasParams.Concat(g.Factors)) o.SetFactor(factors[code], limit);
                }
        }
        // Coal boilers of an enterprise without a gas process still have a stack.
        if (industry.Gas is null && e.CoalBoilers > 0)
        {
            for (var b = 1; b <= Math.Min(e.CoalBoilers, 2); b++)
            {
                var o = e.AddOutlet($"DA{b:000}", $"{b}号燃煤锅炉烟囱", Medium.Gas);
                o.Standard = "GB 13271-2014";
                o.ReferenceOxygen = 9m;
                foreach (var (code, limit) in GasParams.Concat([("a21026", (decimal?)300m), ("a21002", 300m), ("a34013", 50m)]))
                    o.SetFactor(factors[code], limit);
            }
        }
        foreach (var o in e.Outlets)
        {
            o.Longitude = Math.Round(113.40m + (decimal)rng.NextDouble() * 0.6m, 6);
            o.Latitude = Math.Round(34.55m + (decimal)rng.NextDouble() * 0.4m, 6);
        }
    }

    private static List<Device> BuildDevices(List<Enterprise> enterprises, DateTime now, DateOnly today, Random rng)
    {
        var devices = new List<Device>();
        var perCounty = new Dictionary<int, int>();
        var seq = 0;
        foreach (var e in enterprises)
        {
            foreach (var o in e.Outlets)
            {
                seq++;
                // Some outlets have no site-end yet.
                if (seq % 9 == 0) continue;
                // About one logger in eight still speaks HJ/T 212-2005, whose MN is 14 characters.
                var mn = seq % 8 == 3
                    ? $"{e.Region.Code}{seq:D8}"
                    : $"0100{e.Region.Code}{seq:X14}";
                // Registered some weeks before its first milestone.
                var date = today.AddDays(-rng.Next(120, 600));
                var registered = date.ToDateTime(new TimeOnly(9, 0), DateTimeKind.Utc).AddDays(-rng.Next(7, 60));
                var d = new Device(o, mn, rng.Next(100000, 999999).ToString(), registered)
                {
                    Manufacturer = Makers[rng.Next(Makers.Length)],
                    Model = o.Medium == Medium.Water ? "WQ-3000 水质在线监测系统" : "CEMS-2000 烟气排放连续监测系统",
                };
                // Every county shows every state early in its list; most devices end up networked.
                var nth = perCounty[e.RegionId] = perCounty.GetValueOrDefault(e.RegionId) + 1;
                var target = LifecyclePattern[(nth - 1) % LifecyclePattern.Length];
                while (d.State < target)
                {
                    d.Advance(d.NextState!.Value, date, Staff[rng.Next(Staff.Length)], now);
                    date = date.AddDays(rng.Next(5, 40));
                    if (date > today) date = today;
                }
                devices.Add(d);
            }
        }
        return devices;
    }

    private static async Task CreateUsersAsync(UserManager<AppUser> users, Region city, Region province, List<Region> counties, List<Enterprise> enterprises)
    {
        foreach (var (user, name, role, regionCode) in StaffAccounts)
        {
            var region = regionCode == CityCode ? city : regionCode == ProvinceCode ? province : null;
            await CreateAsync(users, new AppUser { UserName = user, DisplayName = name, RegionId = region?.Id }, role);
        }
        foreach (var (code, name, _, login) in Counties)
        {
            var region = counties.Single(c => c.Code == code);
            await CreateAsync(users, new AppUser { UserName = login, DisplayName = $"{name}环保局", RegionId = region.Id }, Roles.County);
        }
        for (var i = 0; i < 3; i++)
        {
            var e = enterprises[i * 7 + 1];
            await CreateAsync(users, new AppUser { UserName = $"qiye{i + 1}", DisplayName = e.Name, EnterpriseId = e.Id }, Roles.Enterprise);
        }
    }

    private static async Task CreateAsync(UserManager<AppUser> users, AppUser user, string role)
    {
        var created = await users.CreateAsync(user, DemoPassword);
        if (!created.Succeeded)
            throw new InvalidOperationException($"demo user {user.UserName}: {string.Join("; ", created.Errors.Select(e => e.Description))}");
        await users.AddToRoleAsync(user, role);
    }
}
