namespace Zongliang.Domain.Registry;

/// <summary>A water or gas discharge point (排放口) of an enterprise, with the factors monitored there.</summary>
public sealed class Outlet
{
    private readonly List<OutletFactor> _factors = [];

    private Outlet() { }

    internal Outlet(Enterprise enterprise, string code, string name, Medium medium)
    {
        Enterprise = enterprise;
        EnterpriseId = enterprise.Id;
        Code = code.Trim().ToUpperInvariant();
        Name = name.Trim();
        Medium = medium;
    }

    public int Id { get; private set; }

    public int EnterpriseId { get; private set; }

    public Enterprise Enterprise { get; private set; } = null!;

    /// <summary>Outlet code as in the discharge permit, e.g. DW001 (water) or DA001 (gas).</summary>
    public string Code { get; set; } = "";

    public string Name { get; set; } = "";

    public Medium Medium { get; private set; }

    /// <summary>Emission standard that sets the limits, e.g. "GB 13223-2011".</summary>
    public string Standard { get; set; } = "";

    /// <summary>Reference O2 content (%) for the O2-corrected concentration of a gas outlet (基准氧含量).</summary>
    public decimal? ReferenceOxygen { get; set; }

    public decimal? Longitude { get; set; }

    public decimal? Latitude { get; set; }

    public IReadOnlyCollection<OutletFactor> Factors => _factors;

    /// <summary>Adds a factor or updates its limit; a factor of the other medium is refused.</summary>
    public Common.Outcome SetFactor(Factor factor, decimal? limit)
    {
        if (factor.Medium != Medium)
            return Common.Outcome.Refuse($"{factor.Name}不是{Factor.MediumLabel(Medium)}因子", "FactorCode");
        if (limit is < 0)
            return Common.Outcome.Refuse("排放限值不能为负数", "Limit");
        var existing = _factors.FirstOrDefault(f => f.FactorCode == factor.Code);
        if (existing is null)
            _factors.Add(new OutletFactor(factor.Code, limit));
        else
            existing.Limit = limit;
        return Common.Outcome.Ok();
    }

    public bool RemoveFactor(string factorCode) => _factors.RemoveAll(f => f.FactorCode == factorCode) > 0;
}

/// <summary>A factor monitored at an outlet, with its emission-standard limit (in the factor's unit).</summary>
public sealed class OutletFactor
{
    private OutletFactor() { }

    internal OutletFactor(string factorCode, decimal? limit)
    {
        FactorCode = factorCode;
        Limit = limit;
    }

    public int Id { get; private set; }

    public int OutletId { get; private set; }

    public string FactorCode { get; private set; } = "";

    public decimal? Limit { get; set; }
}
