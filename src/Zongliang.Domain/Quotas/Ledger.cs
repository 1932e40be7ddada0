using Zongliang.Domain.Common;

namespace Zongliang.Domain.Quotas;

/// <summary>The main pollutants of total control: COD and SO2 by default, NH3-N and NOx by configuration.</summary>
public static class Pollutants
{
    public static readonly IReadOnlyList<string> All = ["cod", "so2", "nh3n", "nox"];

    public static string Label(string code) => code switch
    {
        "cod" => "化学需氧量",
        "so2" => "二氧化硫",
        "nh3n" => "氨氮",
        "nox" => "氮氧化物",
        _ => code,
    };

    /// <summary>The HJ 212-2017 factor whose monitored mass counts towards the pollutant.</summary>
    public static string FactorCode(string code) => code switch
    {
        "cod" => "w01018",
        "so2" => "a21026",
        "nh3n" => "w21003",
        "nox" => "a21002",
        _ => "",
    };
}

/// <summary>A region's total-control target for a pollutant and year (总量控制目标), against a base year.</summary>
public sealed class RegionTarget
{
    private RegionTarget() { }

    public RegionTarget(int regionId, string pollutant, int year, int baseYear, decimal baseTotal, decimal reductionPercent, decimal currentTotal, string source)
    {
        RegionId = regionId;
        Pollutant = pollutant;
        Year = year;
        BaseYear = baseYear;
        BaseTotal = baseTotal;
        ReductionPercent = reductionPercent;
        CurrentTotal = currentTotal;
        Source = source;
    }

    /// <summary>Sets a target: base year before the year, positive base total, reduction between 0 and 100 %.</summary>
    public static (RegionTarget? Target, Outcome Outcome) Set(int regionId, string pollutant, int year, int baseYear, decimal baseTotal, decimal reductionPercent,
        decimal currentTotal, string? source)
    {
        if (!Pollutants.All.Contains(pollutant))
            return (null, Outcome.Refuse("污染物无效", "Pollutant"));
        var ranges = PlausibleRanges.Current;
        if (year < ranges.EarliestDate.Year || year > ranges.EarliestDate.Year + 200)
            return (null, Outcome.Refuse($"年度超出合理范围（不早于 {ranges.EarliestDate.Year} 年）", "Year"));
        if (baseYear >= year)
            return (null, Outcome.Refuse("基准年应早于目标年度", "BaseYear"));
        if (year - baseYear > 30)
            return (null, Outcome.Refuse("基准年与目标年度相差不应超过30年", "BaseYear"));
        if (baseTotal <= 0)
            return (null, Outcome.Refuse("基准年排放量须大于零", "BaseTotal"));
        if (ranges.CheckRegionTonnes(baseTotal, "BaseTotal") is { Succeeded: false } tooMuch)
            return (null, tooMuch);
        if (reductionPercent is < 0 or >= 100)
            return (null, Outcome.Refuse("减排比例应在 0 到 100 之间", "ReductionPercent"));
        if (currentTotal < 0)
            return (null, Outcome.Refuse("现状排放量不能为负数", "CurrentTotal"));
        if (ranges.CheckRegionTonnes(currentTotal, "CurrentTotal") is { Succeeded: false } currentTooMuch)
            return (null, currentTooMuch);
        if (string.IsNullOrWhiteSpace(source))
            return (null, Outcome.Refuse("请填写数据来源（如环境统计年报）", "Source"));
        return (new RegionTarget(regionId, pollutant, year, baseYear, baseTotal, reductionPercent, currentTotal, source.Trim()), Outcome.Ok());
    }

    public int Id { get; private set; }
    public int RegionId { get; private set; }
    public string Pollutant { get; private set; } = "";
    public int Year { get; private set; }
    public int BaseYear { get; set; }
    /// <summary>Base-year total, t (基准年排放总量).</summary>
    public decimal BaseTotal { get; set; }
    /// <summary>Reduction required against the base year, % (减排目标).</summary>
    public decimal ReductionPercent { get; set; }
    /// <summary>Current total from environmental statistics, t (现状排放量).</summary>
    public decimal CurrentTotal { get; set; }
    public string Source { get; set; } = "";

    /// <summary>Allowed total = base × (1 − reduction %), t.</summary>
    public decimal AllowedTotal => Math.Round(BaseTotal * (1 - ReductionPercent / 100m), 3);
}

public enum MeasureType
{
    /// <summary>工程减排: treatment works.</summary>
    Engineering = 1,
    /// <summary>结构减排: closing outdated capacity.</summary>
    Structural = 2,
    /// <summary>管理减排.</summary>
    Management = 3,
}

/// <summary>A reduction measure (削减措施) of a region: closure of outdated capacity, treatment works …, with its amount; pending until confirmed.</summary>
public sealed class ReductionMeasure
{
    private ReductionMeasure() { }

    public ReductionMeasure(int regionId, int? enterpriseId, string pollutant, int year, MeasureType type, string description, decimal amount, DateOnly deadline)
    {
        RegionId = regionId;
        EnterpriseId = enterpriseId;
        Pollutant = pollutant;
        Year = year;
        Type = type;
        Description = description;
        Amount = amount;
        Deadline = deadline;
    }

    /// <summary>Registers a measure: a description, a positive amount and a deadline within the year or after it.</summary>
    public static (ReductionMeasure? Measure, Outcome Outcome) Register(int regionId, int? enterpriseId, string pollutant, int year, MeasureType type,
        string? description, decimal amount, DateOnly deadline)
    {
        if (string.IsNullOrWhiteSpace(description))
            return (null, Outcome.Refuse("请填写措施内容", "Description"));
        if (amount <= 0)
            return (null, Outcome.Refuse("削减量须大于零", "Amount"));
        var ranges = PlausibleRanges.Current;
        if (ranges.CheckProjectTonnes(amount, "Amount") is { Succeeded: false } tooMuch)
            return (null, tooMuch);
        if (deadline.Year < year)
            return (null, Outcome.Refuse("完成期限不能早于台账年度", "Deadline"));
        if (deadline.Year > year + (int)ranges.YearsAhead.Value)
            return (null, Outcome.Refuse($"完成期限不应晚于台账年度后 {ranges.YearsAhead.Value:0} 年", "Deadline"));
        if (!Pollutants.All.Contains(pollutant))
            return (null, Outcome.Refuse("污染物无效", "Pollutant"));
        return (new ReductionMeasure(regionId, enterpriseId, pollutant, year, type, description.Trim(), amount, deadline), Outcome.Ok());
    }

    public int Id { get; private set; }
    public int RegionId { get; private set; }
    public int? EnterpriseId { get; private set; }
    public string Pollutant { get; private set; } = "";
    public int Year { get; private set; }
    public MeasureType Type { get; private set; }
    public string Description { get; private set; } = "";
    /// <summary>Reduction, t/a.</summary>
    public decimal Amount { get; private set; }
    public DateOnly Deadline { get; private set; }
    public DateOnly? ConfirmedOn { get; private set; }
    public string Evidence { get; private set; } = "";

    public bool Confirmed => ConfirmedOn is not null;

    /// <summary>Tonnes already used as offsets by construction projects (已用于替代): an amount serves one project only.</summary>
    public decimal UsedAmount { get; private set; }

    public decimal Available => Amount - UsedAmount;

    /// <summary>Reserves part of the reduction as a project's offset: only confirmed reductions, only what is left.</summary>
    public Outcome Reserve(decimal tonnes)
    {
        if (tonnes <= 0)
            return Outcome.Refuse("替代量须大于零", "OffsetTonnes");
        if (!Confirmed)
            return Outcome.Refuse($"削减措施“{Description}”尚未确认完成，不能作为总量来源", "OffsetMeasureId");
        if (tonnes > Available)
            return Outcome.Refuse($"削减措施“{Description}”可用削减量仅剩 {Available:0.###} 吨，不能重复使用", "OffsetTonnes");
        UsedAmount += tonnes;
        return Outcome.Ok();
    }

    /// <summary>Done late or not yet done past its deadline: what refusal condition 4 looks at.</summary>
    public bool Overdue(DateOnly today) => ConfirmedOn is { } done ? done > Deadline : today > Deadline;

    public Outcome Confirm(DateOnly on, string evidence, DateOnly today)
    {
        if (Confirmed)
            return Outcome.Refuse("该削减措施已确认");
        if (on > today)
            return Outcome.Refuse("确认日期不能晚于今天", "ConfirmedOn");
        if (string.IsNullOrWhiteSpace(evidence))
            return Outcome.Refuse("请写明确认依据（验收文件、现场核查记录等）", "Evidence");
        ConfirmedOn = on;
        Evidence = evidence.Trim();
        return Outcome.Ok();
    }

    public static string TypeLabel(MeasureType t) => t switch
    {
        MeasureType.Engineering => "工程减排",
        MeasureType.Structural => "结构减排",
        _ => "管理减排",
    };
}

public enum IncrementStatus
{
    /// <summary>已核定: verified, not yet built.</summary>
    Verified = 1,
    /// <summary>在建.</summary>
    UnderConstruction = 2,
    /// <summary>已投运: in the current total from then on.</summary>
    Operating = 3,
}

/// <summary>A project's offset: tonnes of one reduction measure named as the source of its quota (区域削减替代).</summary>
public sealed class QuotaOffset
{
    private QuotaOffset() { }

    public QuotaOffset(int applicationId, int measureId, string pollutant, decimal tonnes)
    {
        ApplicationId = applicationId;
        MeasureId = measureId;
        Pollutant = pollutant;
        Tonnes = tonnes;
    }

    public int Id { get; private set; }
    public int ApplicationId { get; private set; }
    public int MeasureId { get; private set; }
    public string Pollutant { get; private set; } = "";
    public decimal Tonnes { get; private set; }
}

/// <summary>A new increment (新增量): a construction project's verified total entering the region's ledger.</summary>
public sealed class QuotaIncrement
{
    private QuotaIncrement() { }

    public QuotaIncrement(int regionId, string project, string pollutant, int year, decimal amount, IncrementStatus status, string source)
    {
        RegionId = regionId;
        Project = project;
        Pollutant = pollutant;
        Year = year;
        Amount = amount;
        Status = status;
        Source = source;
    }

    public int Id { get; private set; }
    public int RegionId { get; private set; }
    public string Project { get; private set; } = "";
    public string Pollutant { get; private set; } = "";
    public int Year { get; private set; }
    /// <summary>Verified total, t/a.</summary>
    public decimal Amount { get; private set; }
    public IncrementStatus Status { get; set; }
    /// <summary>The verification document or other source of the figure.</summary>
    public string Source { get; private set; } = "";

    /// <summary>After a passed acceptance the project operates: its final (actual) emission replaces the verified figure.</summary>
    public void Operate(decimal actualTonnes, string acceptance)
    {
        Status = IncrementStatus.Operating;
        Amount = actualTonnes;
        var source = $"{Source}；{acceptance}";
        Source = source.Length > 200 ? source[..200] : source;
    }

    public static string StatusLabel(IncrementStatus s) => s switch
    {
        IncrementStatus.Verified => "已核定",
        IncrementStatus.UnderConstruction => "在建",
        _ => "已投运",
    };
}

/// <summary>
/// A region's ledger line for a pollutant and year (总量台账): target, totals, increments by status,
/// reductions confirmed and pending, and the headroom left:
/// headroom = allowed − (current + pending increments − confirmed reductions), where pending
/// increments are verified or under construction (operating ones are in the current total).
/// </summary>
public sealed record LedgerLine(
    int RegionId, string Pollutant, int Year,
    decimal BaseTotal, decimal Allowed, decimal Current,
    decimal Verified, decimal UnderConstruction, decimal Operating,
    decimal ConfirmedReductions, decimal PendingReductions,
    IReadOnlyDictionary<MeasureType, decimal> ConfirmedByType)
{
    public decimal PendingIncrements => Verified + UnderConstruction;

    /// <summary>The total once everything verified is built and only the confirmed reductions count.</summary>
    public decimal Projected => Current + PendingIncrements - ConfirmedReductions;

    public decimal Headroom => Allowed - Projected;

    public bool TargetMet => Projected <= Allowed;

    /// <summary>Share of the required reduction achieved: (base − projected) / (base − allowed); null without a reduction required.</summary>
    public decimal? Completion => BaseTotal - Allowed is > 0 and var required ? Math.Round((BaseTotal - Projected) / required, 4) : null;

    public static LedgerLine For(RegionTarget target, IEnumerable<QuotaIncrement> increments, IEnumerable<ReductionMeasure> measures)
    {
        var inc = increments.Where(i => i.RegionId == target.RegionId && i.Pollutant == target.Pollutant && i.Year == target.Year).ToList();
        var red = measures.Where(m => m.RegionId == target.RegionId && m.Pollutant == target.Pollutant && m.Year == target.Year).ToList();
        return new LedgerLine(target.RegionId, target.Pollutant, target.Year, target.BaseTotal, target.AllowedTotal, target.CurrentTotal,
            inc.Where(i => i.Status == IncrementStatus.Verified).Sum(i => i.Amount),
            inc.Where(i => i.Status == IncrementStatus.UnderConstruction).Sum(i => i.Amount),
            inc.Where(i => i.Status == IncrementStatus.Operating).Sum(i => i.Amount),
            red.Where(m => m.Confirmed).Sum(m => m.Amount),
            red.Where(m => !m.Confirmed).Sum(m => m.Amount),
            Enum.GetValues<MeasureType>().ToDictionary(t => t, t => red.Where(m => m.Confirmed && m.Type == t).Sum(m => m.Amount)));
    }

    /// <summary>A parent region's line as the sum of its children's (the city = Σ counties).</summary>
    public static LedgerLine Sum(int regionId, string pollutant, int year, IReadOnlyCollection<LedgerLine> children) => new(
        regionId, pollutant, year,
        children.Sum(c => c.BaseTotal), children.Sum(c => c.Allowed), children.Sum(c => c.Current),
        children.Sum(c => c.Verified), children.Sum(c => c.UnderConstruction), children.Sum(c => c.Operating),
        children.Sum(c => c.ConfirmedReductions), children.Sum(c => c.PendingReductions),
        Enum.GetValues<MeasureType>().ToDictionary(t => t, t => children.Sum(c => c.ConfirmedByType.GetValueOrDefault(t))));
}
