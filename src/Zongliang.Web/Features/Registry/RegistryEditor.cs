using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Registry;

namespace Zongliang.Web.Features.Registry;

/// <summary>The outcome of a create or edit: the record's key, or the field messages, or not found (also: outside scope).</summary>
public sealed record EditResult(string? Key, IReadOnlyDictionary<string, string[]> Errors, bool NotFound = false)
{
    public bool Succeeded => Key is not null && Errors.Count == 0;

    public static EditResult Saved(object key) => new(key.ToString(), new Dictionary<string, string[]>());

    public static EditResult Missing() => new(null, new Dictionary<string, string[]>(), NotFound: true);

    public static EditResult Invalid(Dictionary<string, List<string>> errors) =>
        new(null, errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}

/// <summary>
/// Creates and edits registry records for the pages and the API alike: field rules (annotations),
/// then the rules that need the database (uniqueness, scope). Records outside the user's scope are
/// not found, because the context's filters hide them.
/// </summary>
public sealed class RegistryEditor(ZongliangDbContext db, TimeProvider clock)
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public async Task<EditResult> SaveRegionAsync(int? id, RegionInput input, CancellationToken ct)
    {
        if (!Annotations(input)) return Invalid();
        Region? region;
        if (id is null)
        {
            var parent = input.ParentId is { } pid ? await db.Regions.FirstOrDefaultAsync(r => r.Id == pid, ct) : null;
            if (input.ParentId is not null && parent is null) Error(nameof(input.ParentId), "上级行政区不存在");
            if (input.Kind != RegionKind.Province && parent is null) Error(nameof(input.ParentId), "请选择上级行政区");
            if (await db.Regions.AnyAsync(r => r.Code == input.Code, ct)) Error(nameof(input.Code), "该区划代码已存在");
            if (_errors.Count > 0) return Invalid();
            region = new Region(input.Code, input.Name, input.Kind, parent);
            db.Regions.Add(region);
        }
        else
        {
            region = await db.Regions.FirstOrDefaultAsync(r => r.Id == id, ct);
            if (region is null) return EditResult.Missing();
            region.Rename(input.Name);
        }
        await db.SaveChangesAsync(ct);
        return EditResult.Saved(region.Id);
    }

    public async Task<EditResult> SaveEnterpriseAsync(int? id, EnterpriseInput input, CancellationToken ct)
    {
        if (!Annotations(input)) return Invalid();
        Enterprise? enterprise = null;
        if (id is not null)
        {
            enterprise = await db.Enterprises.FirstOrDefaultAsync(e => e.Id == id, ct);
            if (enterprise is null) return EditResult.Missing();
        }
        var code = input.CreditCode.Trim().ToUpperInvariant();
        if (!Enterprise.IsValidCreditCode(code))
            Error(nameof(input.CreditCode), "统一社会信用代码校验位不正确");
        else if (await db.Enterprises.IgnoreQueryFilters().AnyAsync(e => e.CreditCode == code && e.Id != (id ?? 0), ct))
            Error(nameof(input.CreditCode), "该统一社会信用代码已登记");
        var region = await db.Regions.FirstOrDefaultAsync(r => r.Id == input.RegionId, ct);
        if (region is null || !db.Scope.CoversRegion(region.Path))
            Error(nameof(input.RegionId), "所选行政区不在您的辖区内");
        else if (!region.IsCountyLevel)
            Error(nameof(input.RegionId), "排污单位应归属县（区）级行政区或开发区");
        var periods = (input.ProductionPeriods ?? "").Trim();
        if (input.ProductionMode == ProductionMode.Seasonal)
        {
            var parts = periods.Split(';', '；').Where(p => p.Trim().Length > 0).ToList();
            if (parts.Count == 0 || parts.Any(p => ProductionPeriod.Parse(p) is null))
                Error(nameof(input.ProductionPeriods), "季节性生产单位请按“月-日~月-日”填写生产期，多个用分号分隔，如 11-01~03-31");
            periods = string.Join(";", parts.Select(p => ProductionPeriod.Parse(p)?.ToString()));
        }
        else periods = "";
        if (_errors.Count > 0) return Invalid();

        if (enterprise is null)
        {
            enterprise = new Enterprise(input.Name, code, region!);
            db.Enterprises.Add(enterprise);
        }
        else if (enterprise.RegionId != region!.Id) enterprise.MoveTo(region);
        enterprise.Name = input.Name.Trim();
        enterprise.CreditCode = code;
        enterprise.Industry = input.Industry?.Trim() ?? "";
        enterprise.Address = input.Address?.Trim() ?? "";
        enterprise.Contact = input.Contact?.Trim() ?? "";
        enterprise.Phone = input.Phone?.Trim() ?? "";
        enterprise.ControlLevel = input.ControlLevel;
        enterprise.ProductionMode = input.ProductionMode;
        enterprise.ProductionPeriods = periods;
        enterprise.CoalBoilers = input.CoalBoilers;
        enterprise.CoalBoilerCapacity = input.CoalBoilerCapacity;
        await db.SaveChangesAsync(ct);
        return EditResult.Saved(enterprise.Id);
    }

    public async Task<EditResult> SaveOutletAsync(int? id, OutletInput input, CancellationToken ct)
    {
        if (!Annotations(input) | !input.Factors.All(Annotations)) return Invalid();
        Outlet? outlet = null;
        if (id is not null)
        {
            outlet = await db.Outlets.Include(o => o.Enterprise).ThenInclude(e => e.Outlets).FirstOrDefaultAsync(o => o.Id == id, ct);
            if (outlet is null) return EditResult.Missing();
        }
        var enterpriseId = outlet?.EnterpriseId ?? input.EnterpriseId;
        var enterprise = await db.Enterprises.Include(e => e.Outlets).FirstOrDefaultAsync(e => e.Id == enterpriseId, ct);
        if (enterprise is null) return Invalid(nameof(input.EnterpriseId), "所属单位不存在或不在您的辖区内");
        var code = input.Code.Trim().ToUpperInvariant();
        if (enterprise.Outlets.Any(o => o.Code == code && o.Id != (id ?? 0)))
            Error(nameof(input.Code), "该单位已有此编号的排放口");
        var medium = outlet?.Medium ?? input.Medium;
        var catalog = await db.Factors.ToDictionaryAsync(f => f.Code, ct);
        var wanted = input.Factors.Where(f => !string.IsNullOrWhiteSpace(f.FactorCode)).ToList();
        for (var i = 0; i < wanted.Count; i++)
        {
            if (!catalog.TryGetValue(wanted[i].FactorCode, out var factor))
                Error($"Factors[{i}].FactorCode", $"因子编码 {wanted[i].FactorCode} 不在因子目录中");
            else if (factor.Medium != medium)
                Error($"Factors[{i}].FactorCode", $"{factor.Name}不是{Factor.MediumLabel(medium)}因子");
        }
        if (wanted.GroupBy(f => f.FactorCode).Any(g => g.Count() > 1)) Error(nameof(input.Factors), "监测因子重复");
        if (_errors.Count > 0) return Invalid();

        outlet ??= enterprise.AddOutlet(code, input.Name, medium);
        outlet.Code = code;
        outlet.Name = input.Name.Trim();
        outlet.Standard = input.Standard?.Trim() ?? "";
        outlet.ReferenceOxygen = medium == Medium.Gas ? input.ReferenceOxygen : null;
        outlet.Longitude = input.Longitude;
        outlet.Latitude = input.Latitude;
        foreach (var gone in outlet.Factors.Select(f => f.FactorCode).Except(wanted.Select(w => w.FactorCode)).ToList())
            outlet.RemoveFactor(gone);
        foreach (var f in wanted) outlet.SetFactor(catalog[f.FactorCode], f.Limit);
        await db.SaveChangesAsync(ct);
        return EditResult.Saved(outlet.Id);
    }

    public async Task<EditResult> SaveFactorAsync(string? code, FactorInput input, CancellationToken ct)
    {
        if (!Annotations(input)) return Invalid();
        Factor? factor;
        if (code is null)
        {
            if (await db.Factors.AnyAsync(f => f.Code == input.Code, ct)) return Invalid(nameof(input.Code), "该因子编码已存在");
            factor = new Factor(input.Code, input.Name, input.Medium, input.Unit);
            db.Factors.Add(factor);
        }
        else
        {
            factor = await db.Factors.FirstOrDefaultAsync(f => f.Code == code, ct);
            if (factor is null) return EditResult.Missing();
        }
        factor.Name = input.Name.Trim();
        factor.Code2005 = input.Code2005?.Trim() ?? "";
        factor.Unit = input.Unit.Trim();
        factor.MassUnit = input.MassUnit?.Trim() ?? "";
        factor.IsParameter = input.IsParameter;
        await db.SaveChangesAsync(ct);
        return EditResult.Saved(factor.Code);
    }

    public async Task<EditResult> SaveDeviceAsync(int? id, DeviceInput input, CancellationToken ct)
    {
        if (!Annotations(input)) return Invalid();
        Device? device = null;
        if (id is not null)
        {
            device = await db.Devices.FirstOrDefaultAsync(d => d.Id == id, ct);
            if (device is null) return EditResult.Missing();
        }
        var outlet = await db.Outlets.FirstOrDefaultAsync(o => o.Id == input.OutletId, ct);
        if (outlet is null) Error(nameof(input.OutletId), "排放口不存在或不在您的辖区内");
        var mn = input.Mn.Trim().ToUpperInvariant();
        if (await db.Devices.IgnoreQueryFilters().AnyAsync(d => d.Mn == mn && d.Id != (id ?? 0), ct))
            Error(nameof(input.Mn), "该MN已被其他设备使用");
        if (device is null && string.IsNullOrWhiteSpace(input.AccessPassword))
            Error(nameof(input.AccessPassword), "请填写访问密码（PW）");
        if (_errors.Count > 0) return Invalid();

        if (device is null)
        {
            device = new Device(outlet!, mn, input.AccessPassword!, clock.GetUtcNow().UtcDateTime);
            db.Devices.Add(device);
        }
        else
        {
            if (device.OutletId != outlet!.Id) device.MoveTo(outlet);
            device.ChangeMn(mn);
            if (!string.IsNullOrWhiteSpace(input.AccessPassword)) device.AccessPassword = input.AccessPassword.Trim();
        }
        device.Manufacturer = input.Manufacturer?.Trim() ?? "";
        device.Model = input.Model?.Trim() ?? "";
        await db.SaveChangesAsync(ct);
        return EditResult.Saved(device.Id);
    }

    public async Task<EditResult> AdvanceDeviceAsync(int id, MilestoneInput input, CancellationToken ct)
    {
        if (!Annotations(input)) return Invalid();
        var device = await db.Devices.FirstOrDefaultAsync(d => d.Id == id, ct);
        if (device is null) return EditResult.Missing();
        var outcome = device.Advance(input.Milestone, input.Date!.Value, input.By, clock.GetUtcNow().UtcDateTime);
        if (!outcome.Succeeded) return Invalid(outcome.Field ?? nameof(input.Milestone), outcome.Error!);
        await db.SaveChangesAsync(ct);
        return EditResult.Saved(device.Id);
    }

    private bool Annotations(object input)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(input, new ValidationContext(input), results, validateAllProperties: true)) return true;
        foreach (var r in results)
            Error(r.MemberNames.FirstOrDefault() ?? "", r.ErrorMessage ?? "无效的值");
        return false;
    }

    private void Error(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    private EditResult Invalid() => EditResult.Invalid(_errors);

    private EditResult Invalid(string field, string message)
    {
        Error(field, message);
        return Invalid();
    }
}
