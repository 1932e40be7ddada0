namespace Zongliang.Domain.Registry;

/// <summary>Key-source control level (国控/省控/市控).</summary>
public enum ControlLevel
{
    None = 0,
    National = 1,
    Provincial = 2,
    City = 3,
}

public enum ProductionMode
{
    /// <summary>Produces all year.</summary>
    Continuous = 1,
    /// <summary>Produces in production periods only (e.g. sugar, starch); comparison monitoring follows the periods.</summary>
    Seasonal = 2,
}

/// <summary>A production period of a seasonal producer, as month-day bounds that may cross the year end.</summary>
public sealed record ProductionPeriod(int StartMonth, int StartDay, int EndMonth, int EndDay)
{
    public bool IsValid =>
        IsValidDay(StartMonth, StartDay) && IsValidDay(EndMonth, EndDay);

    private static bool IsValidDay(int month, int day) =>
        month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(2024, month);

    public bool Contains(DateOnly date)
    {
        var d = date.Month * 100 + date.Day;
        var start = StartMonth * 100 + StartDay;
        var end = EndMonth * 100 + EndDay;
        return start <= end ? d >= start && d <= end : d >= start || d <= end;
    }

    public override string ToString() => $"{StartMonth:00}-{StartDay:00}~{EndMonth:00}-{EndDay:00}";

    /// <summary>Parses "MM-DD~MM-DD"; returns null when the text is not such a period.</summary>
    public static ProductionPeriod? Parse(string text)
    {
        var parts = text.Trim().Split('~');
        if (parts.Length != 2) return null;
        if (!TryMonthDay(parts[0], out var sm, out var sd) || !TryMonthDay(parts[1], out var em, out var ed)) return null;
        var p = new ProductionPeriod(sm, sd, em, ed);
        return p.IsValid ? p : null;
    }

    private static bool TryMonthDay(string s, out int month, out int day)
    {
        month = day = 0;
        var md = s.Trim().Split('-');
        return md.Length == 2 && int.TryParse(md[0], out month) && int.TryParse(md[1], out day);
    }
}

/// <summary>A discharging enterprise (排污单位), the pollution source of the registry (M1).</summary>
public sealed class Enterprise
{
    private readonly List<Outlet> _outlets = [];

    private Enterprise() { }

    public Enterprise(string name, string creditCode, Region region)
    {
        Name = name.Trim();
        CreditCode = creditCode.Trim().ToUpperInvariant();
        Region = region;
        RegionId = region.Id;
    }

    public int Id { get; private set; }

    public string Name { get; set; } = "";

    /// <summary>Unified social credit code (统一社会信用代码), 18 characters.</summary>
    public string CreditCode { get; set; } = "";

    public int RegionId { get; private set; }

    public Region Region { get; private set; } = null!;

    public string Industry { get; set; } = "";

    public string Address { get; set; } = "";

    public string Contact { get; set; } = "";

    public string Phone { get; set; } = "";

    public ControlLevel ControlLevel { get; set; }

    public ProductionMode ProductionMode { get; set; } = ProductionMode.Continuous;

    /// <summary>Production periods of a seasonal producer, "MM-DD~MM-DD" separated by ';'.</summary>
    public string ProductionPeriods { get; set; } = "";

    /// <summary>Number of coal-fired boilers (燃煤锅炉) on the site.</summary>
    public int CoalBoilers { get; set; }

    /// <summary>Total rated capacity of the coal-fired boilers, t/h of steam.</summary>
    public decimal CoalBoilerCapacity { get; set; }

    public IReadOnlyCollection<Outlet> Outlets => _outlets;

    public bool IsKeySource => ControlLevel != ControlLevel.None;

    /// <summary>Adds an outlet; outlet codes are unique within the enterprise.</summary>
    public Outlet AddOutlet(string code, string name, Medium medium)
    {
        var outlet = new Outlet(this, code, name, medium);
        if (HasOutletCode(outlet.Code))
            throw new InvalidOperationException($"outlet code {outlet.Code} already exists in enterprise {Id}");
        _outlets.Add(outlet);
        return outlet;
    }

    public bool HasOutletCode(string code) =>
        _outlets.Any(o => string.Equals(o.Code, code.Trim(), StringComparison.OrdinalIgnoreCase));

    public void MoveTo(Region region)
    {
        Region = region;
        RegionId = region.Id;
    }

    public IReadOnlyList<ProductionPeriod> ParsedPeriods() =>
        ProductionPeriods.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(ProductionPeriod.Parse).OfType<ProductionPeriod>().ToList();

    public static string ControlLevelLabel(ControlLevel level) => level switch
    {
        ControlLevel.National => "国控",
        ControlLevel.Provincial => "省控",
        ControlLevel.City => "市控",
        _ => "非重点",
    };

    public static string ProductionModeLabel(ProductionMode mode) =>
        mode == ProductionMode.Seasonal ? "季节性生产" : "连续生产";

    // GB 32100-2015: the 18th character of the unified social credit code is a check character
    // over the first 17, in a 31-character alphabet (no I, O, Z, S, V) with these weights.
    private const string CreditCodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] CreditCodeWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>Checks the 18-character unified social credit code, including its check character.</summary>
    public static bool IsValidCreditCode(string? code)
    {
        if (code is not { Length: 18 }) return false;
        code = code.ToUpperInvariant();
        var check = CreditCodeCheck(code.AsSpan(0, 17));
        return check is not null && code[17] == check;
    }

    /// <summary>Completes 17 characters with the check character (used to generate demo codes).</summary>
    public static string WithCheckCharacter(string first17) =>
        first17 + (CreditCodeCheck(first17) ?? throw new ArgumentException("invalid character", nameof(first17)));

    private static char? CreditCodeCheck(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var v = CreditCodeAlphabet.IndexOf(first17[i]);
            if (v < 0) return null;
            sum += v * CreditCodeWeights[i];
        }
        return CreditCodeAlphabet[(31 - sum % 31) % 31];
    }
}
