using Zongliang.Domain.Common;

namespace Zongliang.Domain.Quotas;

/// <summary>区域限批: a regional approval restriction on a region, from its document and start date until lifted.</summary>
public sealed class RegionRestriction
{
    private RegionRestriction() { }

    public static (RegionRestriction? Restriction, Outcome Outcome) Impose(int regionId, string? document, string? reason, DateOnly startOn)
    {
        if (string.IsNullOrWhiteSpace(document))
            return (null, Outcome.Refuse("请填写限批文号", "Document"));
        if (string.IsNullOrWhiteSpace(reason))
            return (null, Outcome.Refuse("请填写限批原因", "Reason"));
        return (new RegionRestriction { RegionId = regionId, Document = document.Trim(), Reason = reason.Trim(), StartOn = startOn }, Outcome.Ok());
    }

    public int Id { get; private set; }
    public int RegionId { get; private set; }
    public string Document { get; private set; } = "";
    public string Reason { get; private set; } = "";
    public DateOnly StartOn { get; private set; }
    public DateOnly? LiftedOn { get; private set; }
    public string LiftDocument { get; private set; } = "";

    public bool ActiveOn(DateOnly day) => StartOn <= day && (LiftedOn is not { } lifted || day < lifted);

    /// <summary>Lifts the restriction from a date, by a document; refused twice, before the start or in the future.</summary>
    public Outcome Lift(DateOnly on, string? document, DateOnly today)
    {
        if (LiftedOn is not null)
            return Outcome.Refuse("该限批已解除");
        if (on < StartOn)
            return Outcome.Refuse("解除日期不能早于限批开始日期", "LiftedOn");
        if (on > today)
            return Outcome.Refuse("解除日期不能晚于今天", "LiftedOn");
        if (string.IsNullOrWhiteSpace(document))
            return Outcome.Refuse("请填写解除限批的文号", "LiftDocument");
        LiftedOn = on;
        LiftDocument = document.Trim();
        return Outcome.Ok();
    }
}

public enum ListingKind
{
    /// <summary>环境违法违规黑名单.</summary>
    Blacklist = 1,
    /// <summary>挂牌督办.</summary>
    ListedSupervision = 2,
}

/// <summary>An investor on the violation blacklist or under listed supervision, from a date until removed (投资主体登记).</summary>
public sealed class InvestorListing
{
    private InvestorListing() { }

    public static (InvestorListing? Listing, Outcome Outcome) List(int regionId, string? investor, ListingKind kind, string? document, string? reason, DateOnly startOn)
    {
        if (string.IsNullOrWhiteSpace(investor))
            return (null, Outcome.Refuse("请填写投资主体名称", "Investor"));
        if (string.IsNullOrWhiteSpace(document))
            return (null, Outcome.Refuse("请填写文号", "Document"));
        return (new InvestorListing
        {
            RegionId = regionId, Investor = investor.Trim(), Kind = kind, Document = document.Trim(), Reason = reason?.Trim() ?? "", StartOn = startOn,
        }, Outcome.Ok());
    }

    public int Id { get; private set; }
    public int RegionId { get; private set; }
    public string Investor { get; private set; } = "";
    public ListingKind Kind { get; private set; }
    public string Document { get; private set; } = "";
    public string Reason { get; private set; } = "";
    public DateOnly StartOn { get; private set; }
    public DateOnly? RemovedOn { get; private set; }

    public bool ActiveOn(DateOnly day) => StartOn <= day && (RemovedOn is not { } removed || day < removed);

    public Outcome Remove(DateOnly on, DateOnly today)
    {
        if (RemovedOn is not null)
            return Outcome.Refuse("已移出");
        if (on < StartOn || on > today)
            return Outcome.Refuse("移出日期应在列入日期之后、今天之前", "RemovedOn");
        RemovedOn = on;
        return Outcome.Ok();
    }

    public static string KindLabel(ListingKind k) => k == ListingKind.Blacklist ? "违法违规黑名单" : "挂牌督办";
}

/// <summary>An investor's existing facility: its quota and its actual emission this year (null without valid data).</summary>
/// <param name="InScope">Whether the viewer may see the enterprise: evidence about one outside the viewer's scope names neither it nor its figures.</param>
public sealed record FacilityEmission(string Enterprise, string Pollutant, decimal Quota, decimal? Actual, bool InScope = true);

/// <summary>An enterprise's total-control quota for a pollutant and year (排污总量指标): what condition 6 holds its actual emission against.</summary>
public sealed class EnterpriseQuota
{
    private EnterpriseQuota() { }

    public EnterpriseQuota(int enterpriseId, string pollutant, int year, decimal tonnes, string source)
    {
        EnterpriseId = enterpriseId;
        Pollutant = pollutant;
        Year = year;
        Tonnes = tonnes;
        Source = source;
    }

    public int Id { get; private set; }
    public int EnterpriseId { get; private set; }
    public string Pollutant { get; private set; } = "";
    public int Year { get; private set; }
    public decimal Tonnes { get; private set; }
    public string Source { get; private set; } = "";
}

/// <summary>One of the six conditions under which no verification document may be issued (Q4), as evaluated, with its evidence.</summary>
public sealed record RefusalFinding(int Condition, string Title, bool Holds, string Evidence);

/// <summary>
/// The refusal conditions of 鄭環辦〔2008〕15號 (Q4) evaluated from the ledger and the registers.
/// A condition that holds blocks issuing; only correcting its source data changes the result.
/// </summary>
public static class RefusalChecks
{
    public static readonly IReadOnlyDictionary<int, string> Titles = new Dictionary<int, string>
    {
        [1] = "项目新增排放量影响当地减排任务完成",
        [2] = "区域未完成减排目标且本年度整改进度不符合要求",
        [3] = "区域处于区域限批期间",
        [4] = "区域未按期关停淘汰落后产能",
        [5] = "投资主体列入违法违规黑名单或挂牌督办未解除",
        [6] = "投资主体现有设施超总量控制指标",
    };

    /// <summary>
    /// Conditions 1–4 for a region: 1 when the project's applied tonnes exceed the headroom; 2 when
    /// the target is not met and the share of the required reduction achieved is behind the share of
    /// the year gone; 3 when a restriction is in force; 4 when a structural measure (closure of
    /// outdated capacity) is past its deadline and not confirmed.
    /// </summary>
    public static IReadOnlyList<RefusalFinding> ForRegion(LedgerLine line, decimal appliedTonnes, IEnumerable<RegionRestriction> restrictions,
        IEnumerable<ReductionMeasure> measures, DateOnly today, IReadOnlyList<string>? rebounds = null)
    {
        rebounds ??= [];
        var after = line.Headroom - appliedTonnes;
        var yearGone = Math.Round((decimal)today.DayOfYear / (DateTime.IsLeapYear(today.Year) ? 366 : 365), 4);
        var active = restrictions.Where(r => r.RegionId == line.RegionId && r.ActiveOn(today)).ToList();
        var overdue = measures.Where(m => m.RegionId == line.RegionId && m.Pollutant == line.Pollutant && m.Year == line.Year
            && m.Type == MeasureType.Structural && !m.Confirmed && m.Overdue(today)).ToList();
        var behind = !line.TargetMet && (line.Completion ?? 0) < yearGone;
        return
        [
            new(1, Titles[1], after < 0,
                $"剩余容量 {line.Headroom:0.###} 吨，项目申请 {appliedTonnes:0.###} 吨，核定后剩余 {after:0.###} 吨"),
            new(2, Titles[2], behind,
                line.TargetMet
                    ? $"预计排放量 {line.Projected:0.###} 吨，不超过控制目标 {line.Allowed:0.###} 吨"
                    : $"预计排放量 {line.Projected:0.###} 吨超过控制目标 {line.Allowed:0.###} 吨；减排完成率 {(line.Completion ?? 0) * 100:0.#}%，应达进度 {yearGone * 100:0.#}%"),
            new(3, Titles[3], active.Count > 0,
                active.Count > 0 ? string.Join("；", active.Select(r => $"{r.Document}（{r.StartOn:yyyy-MM-dd}起）：{r.Reason}")) : "无生效的区域限批"),
            new(4, Titles[4], overdue.Count > 0 || rebounds.Count > 0,
                overdue.Count > 0 || rebounds.Count > 0
                    ? string.Join("；", overdue.Select(m => $"{m.Description}，期限 {m.Deadline:yyyy-MM-dd}，未确认完成").Concat(rebounds))
                    : "结构减排措施均按期完成或未到期限，关停后无反弹排放"),
        ];
    }

    /// <summary>
    /// Condition 6 for an investor: an existing facility whose actual emission this year (annualised
    /// from its valid monitored days) exceeds its total-control quota.
    /// </summary>
    public static RefusalFinding ForFacilities(IEnumerable<FacilityEmission> facilities)
    {
        var list = facilities.ToList();
        var over = list.Where(f => f.Actual is { } a && a > f.Quota).ToList();
        var hidden = over.Count(f => !f.InScope);
        var shown = over.Where(f => f.InScope).Select(f => $"{f.Enterprise} {Pollutants.Label(f.Pollutant)} 实际 {f.Actual:0.###} 吨/年，超过总量指标 {f.Quota:0.###} 吨/年");
        if (hidden > 0) shown = shown.Append($"本辖区以外的现有设施 {hidden} 项超过总量指标（详情由上级环保部门掌握）");
        return new RefusalFinding(6, Titles[6], over.Count > 0,
            over.Count > 0
                ? string.Join("；", shown)
                : list.Count > 0 ? $"现有设施 {list.Count} 项均未超总量指标" : "投资主体在本平台没有已登记总量指标的现有设施");
    }

    /// <summary>Condition 5 for an investor.</summary>
    public static RefusalFinding ForInvestor(string investor, IEnumerable<InvestorListing> listings, DateOnly today)
    {
        var active = listings.Where(l => l.Investor == investor.Trim() && l.ActiveOn(today)).ToList();
        return new RefusalFinding(5, Titles[5], active.Count > 0,
            active.Count > 0
                ? string.Join("；", active.Select(l => $"{InvestorListing.KindLabel(l.Kind)} {l.Document}（{l.StartOn:yyyy-MM-dd}起）{l.Reason}"))
                : "未列入黑名单或挂牌督办");
    }
}
