using System.ComponentModel.DataAnnotations;
using Zongliang.Domain.Registry;

namespace Zongliang.Web.Features.Registry;

// Inputs of the registry forms and of the API: the same types, the same Chinese messages.

public sealed class RegionInput
{
    [Display(Name = "区划代码"), Required(ErrorMessage = "请填写{0}"), RegularExpression(@"^\d{6}$", ErrorMessage = "{0}应为6位数字")]
    public string Code { get; set; } = "";

    [Display(Name = "名称"), Required(ErrorMessage = "请填写{0}"), StringLength(64, ErrorMessage = "{0}不能超过{1}个字")]
    public string Name { get; set; } = "";

    [Display(Name = "类型")]
    public RegionKind Kind { get; set; } = RegionKind.County;

    [Display(Name = "上级行政区")]
    public int? ParentId { get; set; }
}

public sealed class EnterpriseInput
{
    [Display(Name = "单位名称"), Required(ErrorMessage = "请填写{0}"), StringLength(128, ErrorMessage = "{0}不能超过{1}个字")]
    public string Name { get; set; } = "";

    [Display(Name = "统一社会信用代码"), Required(ErrorMessage = "请填写{0}"), StringLength(18, MinimumLength = 18, ErrorMessage = "{0}应为18位")]
    public string CreditCode { get; set; } = "";

    [Display(Name = "所属行政区"), Required(ErrorMessage = "请选择{0}")]
    public int? RegionId { get; set; }

    [Display(Name = "行业"), StringLength(64, ErrorMessage = "{0}不能超过{1}个字")]
    public string? Industry { get; set; }

    [Display(Name = "地址"), StringLength(256, ErrorMessage = "{0}不能超过{1}个字")]
    public string? Address { get; set; }

    [Display(Name = "联系人"), StringLength(32, ErrorMessage = "{0}不能超过{1}个字")]
    public string? Contact { get; set; }

    [Display(Name = "联系电话"), RegularExpression(@"^[0-9\-+ ]{5,32}$", ErrorMessage = "{0}格式不正确")]
    public string? Phone { get; set; }

    [Display(Name = "重点源级别")]
    public ControlLevel ControlLevel { get; set; }

    [Display(Name = "生产方式")]
    public ProductionMode ProductionMode { get; set; } = ProductionMode.Continuous;

    [Display(Name = "生产期"), StringLength(256, ErrorMessage = "{0}不能超过{1}个字")]
    public string? ProductionPeriods { get; set; }

    [Display(Name = "燃煤锅炉台数"), Range(0, 100, ErrorMessage = "{0}应在{1}到{2}之间")]
    public int CoalBoilers { get; set; }

    [Display(Name = "燃煤锅炉总容量（t/h）"), Range(typeof(decimal), "0", "100000", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true, ErrorMessage = "{0}应在{1}到{2}之间")]
    public decimal CoalBoilerCapacity { get; set; }

    public static EnterpriseInput From(Enterprise e) => new()
    {
        Name = e.Name, CreditCode = e.CreditCode, RegionId = e.RegionId, Industry = e.Industry, Address = e.Address,
        Contact = e.Contact, Phone = e.Phone, ControlLevel = e.ControlLevel, ProductionMode = e.ProductionMode,
        ProductionPeriods = e.ProductionPeriods, CoalBoilers = e.CoalBoilers, CoalBoilerCapacity = e.CoalBoilerCapacity,
    };
}

public sealed class OutletInput
{
    [Display(Name = "所属单位"), Required(ErrorMessage = "请选择{0}")]
    public int? EnterpriseId { get; set; }

    [Display(Name = "排放口编号"), Required(ErrorMessage = "请填写{0}"), RegularExpression(@"^[A-Za-z0-9]{2,16}$", ErrorMessage = "{0}应为2到16位字母或数字，如 DW001、DA001")]
    public string Code { get; set; } = "";

    [Display(Name = "排放口名称"), Required(ErrorMessage = "请填写{0}"), StringLength(64, ErrorMessage = "{0}不能超过{1}个字")]
    public string Name { get; set; } = "";

    [Display(Name = "类型")]
    public Medium Medium { get; set; } = Medium.Water;

    [Display(Name = "执行标准"), StringLength(64, ErrorMessage = "{0}不能超过{1}个字")]
    public string? Standard { get; set; }

    [Display(Name = "基准氧含量（%）"), Range(typeof(decimal), "0", "21", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true, ErrorMessage = "{0}应在{1}到{2}之间")]
    public decimal? ReferenceOxygen { get; set; }

    [Display(Name = "经度"), Range(typeof(decimal), "73", "136", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true, ErrorMessage = "{0}应在{1}到{2}之间")]
    public decimal? Longitude { get; set; }

    [Display(Name = "纬度"), Range(typeof(decimal), "3", "54", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true, ErrorMessage = "{0}应在{1}到{2}之间")]
    public decimal? Latitude { get; set; }

    /// <summary>The monitored factors with their limits; factors not listed are not monitored.</summary>
    public List<OutletFactorInput> Factors { get; set; } = [];

    public static OutletInput From(Outlet o) => new()
    {
        EnterpriseId = o.EnterpriseId, Code = o.Code, Name = o.Name, Medium = o.Medium, Standard = o.Standard,
        ReferenceOxygen = o.ReferenceOxygen, Longitude = o.Longitude, Latitude = o.Latitude,
        Factors = o.Factors.Select(f => new OutletFactorInput { FactorCode = f.FactorCode, Limit = f.Limit }).ToList(),
    };
}

public sealed class OutletFactorInput
{
    [Required(ErrorMessage = "请选择监测因子")]
    public string FactorCode { get; set; } = "";

    [Display(Name = "排放限值"), Range(typeof(decimal), "0", "1000000", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true, ErrorMessage = "{0}应在{1}到{2}之间")]
    public decimal? Limit { get; set; }
}

public sealed class FactorInput
{
    [Display(Name = "因子编码"), Required(ErrorMessage = "请填写{0}"), RegularExpression(@"^[wa]\d{5}$", ErrorMessage = "{0}应为 w 或 a 加5位数字（HJ 212-2017 附录B）")]
    public string Code { get; set; } = "";

    [Display(Name = "名称"), Required(ErrorMessage = "请填写{0}"), StringLength(32, ErrorMessage = "{0}不能超过{1}个字")]
    public string Name { get; set; } = "";

    [Display(Name = "原编码（2005）"), RegularExpression(@"^[A-Za-z0-9]{0,8}$", ErrorMessage = "{0}应为字母或数字")]
    public string? Code2005 { get; set; }

    [Display(Name = "介质")]
    public Medium Medium { get; set; } = Medium.Water;

    [Display(Name = "浓度单位"), Required(ErrorMessage = "请填写{0}"), StringLength(16, ErrorMessage = "{0}不能超过{1}个字")]
    public string Unit { get; set; } = "";

    [Display(Name = "排放量单位"), StringLength(8, ErrorMessage = "{0}不能超过{1}个字")]
    public string? MassUnit { get; set; }

    [Display(Name = "工况参数")]
    public bool IsParameter { get; set; }
}

public sealed class DeviceInput
{
    [Display(Name = "排放口"), Required(ErrorMessage = "请选择{0}")]
    public int? OutletId { get; set; }

    [Display(Name = "设备唯一标识（MN）"), Required(ErrorMessage = "请填写{0}"), RegularExpression("^[A-Za-z0-9]{1,24}$", ErrorMessage = "{0}应为1到24位字母或数字")]
    public string Mn { get; set; } = "";

    /// <summary>Required for a new device; left empty when editing, the password stays as it is (it is never shown again once set).</summary>
    [Display(Name = "访问密码（PW）"), RegularExpression("^[A-Za-z0-9]{1,6}$", ErrorMessage = "{0}应为1到6位字母或数字")]
    public string? AccessPassword { get; set; }

    [Display(Name = "生产厂家"), StringLength(64, ErrorMessage = "{0}不能超过{1}个字")]
    public string? Manufacturer { get; set; }

    [Display(Name = "型号"), StringLength(64, ErrorMessage = "{0}不能超过{1}个字")]
    public string? Model { get; set; }
}

public sealed class MilestoneInput
{
    [Display(Name = "环节")]
    public DeviceState Milestone { get; set; }

    [Display(Name = "日期"), Required(ErrorMessage = "请填写{0}")]
    public DateOnly? Date { get; set; }

    [Display(Name = "经办人"), Required(ErrorMessage = "请填写{0}"), StringLength(64, ErrorMessage = "{0}不能超过{1}个字")]
    public string By { get; set; } = "";
}
