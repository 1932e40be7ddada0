namespace Zongliang.Domain.Registry;

public enum RegionKind
{
    Province = 1,
    City = 2,
    County = 3,
    District = 4,
    /// <summary>Development zone (高新区, 经开区, 航空港区) managed like a county.</summary>
    Zone = 5,
}

/// <summary>An administrative region (行政区). Regions form a tree; <see cref="Path"/> is the chain of codes.</summary>
public sealed class Region
{
    private Region() { }

    public Region(string code, string name, RegionKind kind, Region? parent)
    {
        if (!IsValidCode(code))
            throw new ArgumentException("区划代码应为6位数字", nameof(code));
        Code = code;
        Name = name.Trim();
        Kind = kind;
        Parent = parent;
        ParentId = parent?.Id;
        Path = (parent?.Path ?? "/") + code + "/";
    }

    public int Id { get; private set; }

    /// <summary>Six-digit administrative division code; part of <see cref="Path"/>, so it does not change.</summary>
    public string Code { get; private set; } = "";

    public string Name { get; private set; } = "";

    public RegionKind Kind { get; private set; }

    public int? ParentId { get; private set; }

    public Region? Parent { get; private set; }

    /// <summary>"/410000/410100/410105/": lets scope checks use a prefix match.</summary>
    public string Path { get; private set; } = "";

    /// <summary>County-level regions are the units of county bureaus and of progress tables.</summary>
    public bool IsCountyLevel => Kind is RegionKind.County or RegionKind.District or RegionKind.Zone;

    public void Rename(string name) => Name = name.Trim();

    public static bool IsValidCode(string? code) => code is { Length: 6 } && code.All(char.IsAsciiDigit);

    public static string KindLabel(RegionKind kind) => kind switch
    {
        RegionKind.Province => "省",
        RegionKind.City => "市",
        RegionKind.County => "县",
        RegionKind.District => "区",
        RegionKind.Zone => "开发区",
        _ => kind.ToString(),
    };
}
