namespace Zongliang.Domain.Registry;

public enum Medium
{
    Water = 1,
    Gas = 2,
}

/// <summary>
/// A monitored factor (监测因子) by its HJ 212-2017 code (Appendix B, tables B.1 and B.2), with the
/// HJ/T 212-2005 code still sent by older data loggers.
/// </summary>
public sealed class Factor
{
    private Factor() { }

    public Factor(string code, string name, Medium medium, string unit, string? massUnit = null, string? code2005 = null, bool isParameter = false)
    {
        Code = code;
        Name = name;
        Medium = medium;
        Unit = unit;
        MassUnit = massUnit ?? "";
        Code2005 = code2005 ?? "";
        IsParameter = isParameter;
    }

    /// <summary>HJ 212-2017 code, e.g. w01018 (COD), a21026 (SO2).</summary>
    public string Code { get; private set; } = "";

    public string Name { get; set; } = "";

    /// <summary>HJ/T 212-2005 code (原编码), e.g. 011 for COD; empty when the 2005 table had none.</summary>
    public string Code2005 { get; set; } = "";

    public Medium Medium { get; private set; }

    /// <summary>Default concentration unit (缺省计量单位, 浓度).</summary>
    public string Unit { get; set; } = "";

    /// <summary>Default unit of the discharged amount (排放量); empty for parameters.</summary>
    public string MassUnit { get; set; } = "";

    /// <summary>A process parameter (flow, temperature, O2, pH …) rather than a pollutant with a mass.</summary>
    public bool IsParameter { get; set; }

    /// <summary>Whether the code has the 2017 shape: w/a + five digits.</summary>
    public static bool IsValidCode(string? code) =>
        code is { Length: 6 } && (code[0] is 'w' or 'a') && code.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;

    public static string MediumLabel(Medium medium) => medium == Medium.Water ? "废水" : "废气";
}
