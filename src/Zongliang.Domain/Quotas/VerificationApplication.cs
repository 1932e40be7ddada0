using Zongliang.Domain.Common;

namespace Zongliang.Domain.Quotas;

public enum ApplicationState
{
    /// <summary>审核中: at the office of <see cref="VerificationApplication.StepIndex"/>.</summary>
    UnderReview = 1,
    /// <summary>退回补正: back to the applicant, who corrects and resubmits.</summary>
    Returned = 2,
    /// <summary>The last office agreed; the issuing office numbers the document.</summary>
    Approved = 3,
    /// <summary>已出具核定文件.</summary>
    Issued = 4,
    /// <summary>不予核定.</summary>
    Refused = 5,
}

public enum ReviewDecision
{
    Agree = 1,
    Return = 2,
    Refuse = 3,
}

/// <summary>The tonnes a project applies for, per pollutant (申请总量).</summary>
public sealed class ApplicationAmount
{
    private ApplicationAmount() { }

    internal ApplicationAmount(string pollutant, decimal tonnes)
    {
        Pollutant = pollutant;
        Tonnes = tonnes;
    }

    public int Id { get; private set; }
    public int ApplicationId { get; private set; }
    public string Pollutant { get; private set; } = "";
    public decimal Tonnes { get; internal set; }
}

/// <summary>One office's review of an application: opinion, decision, signer, time.</summary>
public sealed class ReviewStep
{
    private ReviewStep() { }

    internal ReviewStep(int index, string office, ReviewDecision decision, string opinion, string signer, DateTime atUtc)
    {
        Index = index;
        Office = office;
        Decision = decision;
        Opinion = opinion;
        Signer = signer;
        DecidedAtUtc = atUtc;
    }

    public int Id { get; private set; }
    public int ApplicationId { get; private set; }
    public int Index { get; private set; }
    public string Office { get; private set; } = "";
    public ReviewDecision Decision { get; private set; }
    public string Opinion { get; private set; } = "";
    public string Signer { get; private set; } = "";
    public DateTime DecidedAtUtc { get; private set; }
}

/// <summary>
/// An application for the total-quota verification of a construction project (总量核定申请), filed
/// at the EIA 送审版 stage and routed by the routing rules (Q2). Each office on the path reviews in
/// turn; no office can agree while a refusal condition holds (Q4); after the last agreement the
/// issuing office numbers the document.
/// </summary>
public sealed class VerificationApplication
{
    private readonly List<ApplicationAmount> _amounts = [];
    private readonly List<ReviewStep> _steps = [];

    private VerificationApplication() { }

    public int Id { get; private set; }
    public int RegionId { get; private set; }
    public string Project { get; private set; } = "";
    public string Investor { get; private set; } = "";
    public EiaKind Eia { get; private set; }
    public ApprovalLevel Approval { get; private set; }
    /// <summary>How the project sources its quota (offsets, regional headroom …), as the applicant states it.</summary>
    public string QuotaSource { get; private set; } = "";
    public string SubmittedBy { get; private set; } = "";
    public DateTime SubmittedAtUtc { get; private set; }
    /// <summary>The offices in order, comma-separated (county,city,province).</summary>
    public string Path { get; private set; } = "";
    public string Issuer { get; private set; } = "";
    public bool RecordOnly { get; private set; }
    public int StepIndex { get; private set; }
    /// <summary>When the current office received the application: its deadline runs from here.</summary>
    public DateTime StepStartedAtUtc { get; private set; }
    public ApplicationState State { get; private set; }
    public int? DocumentYear { get; private set; }
    public int? DocumentNumber { get; private set; }
    /// <summary>The region whose office issues the document: numbers run per issuing office and year.</summary>
    public int? IssuerRegionId { get; private set; }
    public DateTime? IssuedAtUtc { get; private set; }
    public IReadOnlyList<ApplicationAmount> Amounts => _amounts;
    public IReadOnlyList<ReviewStep> Steps => _steps;

    public IReadOnlyList<string> Offices => Path.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public string? CurrentOffice => State == ApplicationState.UnderReview ? Offices[StepIndex] : null;

    /// <summary>The current office's deadline: the Beijing day it received the application plus its days.</summary>
    public DateOnly? StepDeadline(int days) =>
        State == ApplicationState.UnderReview ? BeijingTime.Date(StepStartedAtUtc).AddDays(days) : null;

    public bool IsOverdue(DateOnly today, int days) => StepDeadline(days) is { } deadline && today > deadline;

    public decimal TonnesOf(string pollutant) => _amounts.FirstOrDefault(a => a.Pollutant == pollutant)?.Tonnes ?? 0;

    /// <summary>The longest project or investor name (the columns' length).</summary>
    public const int MaxNameLength = 200;

    public static (VerificationApplication? Application, Outcome Outcome) Submit(int regionId, string? project, string? investor, EiaKind eia, ApprovalLevel approval,
        IReadOnlyDictionary<string, decimal> tonnes, string? quotaSource, Route route, string by, DateTime nowUtc)
    {
        if (string.IsNullOrWhiteSpace(project))
            return (null, Outcome.Refuse("请填写项目名称", "Project"));
        if (project.Trim().Length > MaxNameLength)
            return (null, Outcome.Refuse($"项目名称不能超过{MaxNameLength}字", "Project"));
        if (string.IsNullOrWhiteSpace(investor))
            return (null, Outcome.Refuse("请填写建设单位（投资主体）", "Investor"));
        if (investor.Trim().Length > MaxNameLength)
            return (null, Outcome.Refuse($"建设单位名称不能超过{MaxNameLength}字", "Investor"));
        if (tonnes.Any(t => t.Value < 0))
            return (null, Outcome.Refuse("申请量不能为负数", tonnes.First(t => t.Value < 0).Key));
        foreach (var (pollutant, t) in tonnes)
            if (PlausibleRanges.Current.CheckProjectTonnes(t, pollutant) is { Succeeded: false } tooMuch)
                return (null, tooMuch);
        if (tonnes.All(t => t.Value == 0))
            return (null, Outcome.Refuse("至少填写一种主要污染物的申请量", tonnes.Keys.FirstOrDefault()));
        if (string.IsNullOrWhiteSpace(quotaSource))
            return (null, Outcome.Refuse("请说明总量指标来源", "QuotaSource"));
        if (quotaSource.Trim().Length > 1000)
            return (null, Outcome.Refuse("指标来源说明不能超过1000字", "QuotaSource"));
        var application = new VerificationApplication
        {
            RegionId = regionId, Project = project.Trim(), Investor = investor.Trim(), Eia = eia, Approval = approval,
            QuotaSource = quotaSource.Trim(), SubmittedBy = by, SubmittedAtUtc = nowUtc,
            Path = string.Join(',', route.Path), Issuer = route.Issuer, RecordOnly = route.RecordOnly,
            StepIndex = 0, StepStartedAtUtc = nowUtc, State = ApplicationState.UnderReview,
        };
        foreach (var (pollutant, t) in tonnes.Where(t => t.Value > 0))
            application._amounts.Add(new ApplicationAmount(pollutant, t));
        return (application, Outcome.Ok());
    }

    /// <summary>
    /// The current office decides. Agreeing is refused while any refusal condition holds; the last
    /// agreement approves the application for numbering. Returning sends it back for correction;
    /// refusing ends it.
    /// </summary>
    public Outcome Review(string office, ReviewDecision decision, string? opinion, string signer, DateTime nowUtc, IReadOnlyList<RefusalFinding> findings)
    {
        if (State != ApplicationState.UnderReview)
            return Outcome.Refuse("该申请当前不在审核中");
        if (office != CurrentOffice)
            return Outcome.Refuse("当前应由" + OfficeLabel(CurrentOffice!) + "审核");
        if (string.IsNullOrWhiteSpace(opinion))
            return Outcome.Refuse("请填写审核意见", "Opinion");
        if (decision == ReviewDecision.Agree && findings.FirstOrDefault(f => f.Holds) is { } blocking)
            return Outcome.Refuse($"存在不予核定情形（第{blocking.Condition}条 {blocking.Title}：{blocking.Evidence}），不能同意", "Decision");
        _steps.Add(new ReviewStep(StepIndex, office, decision, opinion.Trim(), signer, nowUtc));
        switch (decision)
        {
            case ReviewDecision.Agree when StepIndex == Offices.Count - 1:
                State = ApplicationState.Approved;
                break;
            case ReviewDecision.Agree:
                StepIndex++;
                StepStartedAtUtc = nowUtc;
                break;
            case ReviewDecision.Return:
                State = ApplicationState.Returned;
                break;
            default:
                State = ApplicationState.Refused;
                break;
        }
        return Outcome.Ok();
    }

    /// <summary>The applicant corrects the amounts or the quota source and the review starts again at the first office.</summary>
    public Outcome Resubmit(IReadOnlyDictionary<string, decimal> tonnes, string? quotaSource, DateTime nowUtc)
    {
        if (State != ApplicationState.Returned)
            return Outcome.Refuse("只有退回补正的申请可以重新提交");
        if (tonnes.Any(t => t.Value < 0) || tonnes.All(t => t.Value == 0))
            return Outcome.Refuse("申请量应为非负数且至少一项大于零");
        foreach (var (pollutant, t) in tonnes)
            if (PlausibleRanges.Current.CheckProjectTonnes(t, pollutant) is { Succeeded: false } tooMuch)
                return tooMuch;
        if (quotaSource?.Trim().Length > 1000)
            return Outcome.Refuse("指标来源说明不能超过1000字", "QuotaSource");
        _amounts.RemoveAll(a => !tonnes.ContainsKey(a.Pollutant) || tonnes[a.Pollutant] == 0);
        foreach (var (pollutant, t) in tonnes.Where(t => t.Value > 0))
            if (_amounts.FirstOrDefault(a => a.Pollutant == pollutant) is { } existing)
                existing.Tonnes = t;
            else
                _amounts.Add(new ApplicationAmount(pollutant, t));
        if (!string.IsNullOrWhiteSpace(quotaSource))
            QuotaSource = quotaSource.Trim();
        SubmittedAtUtc = nowUtc;
        StepStartedAtUtc = nowUtc;
        StepIndex = 0;
        State = ApplicationState.UnderReview;
        return Outcome.Ok();
    }

    /// <summary>Numbers the approved application's document (per issuing office and year).</summary>
    public Outcome Issue(int issuerRegionId, int year, int number, DateTime nowUtc)
    {
        if (State != ApplicationState.Approved)
            return Outcome.Refuse("申请尚未审核通过");
        if (number < 1)
            return Outcome.Refuse("文号须为正整数");
        IssuerRegionId = issuerRegionId;
        DocumentYear = year;
        DocumentNumber = number;
        IssuedAtUtc = nowUtc;
        State = ApplicationState.Issued;
        return Outcome.Ok();
    }

    /// <summary>"青环总量核〔2026〕12号": the issuing office's prefix, the year and the number.</summary>
    public string? DocumentText(string issuerPrefix) => DocumentNumber is { } n ? $"{issuerPrefix}〔{DocumentYear}〕{n}号" : null;

    public static string OfficeLabel(string office) => office switch
    {
        "county" => "县（区）环保局",
        "city" => "市总量办",
        "province" => "省总量办",
        _ => office,
    };

    public static string StateLabel(ApplicationState s) => s switch
    {
        ApplicationState.UnderReview => "审核中",
        ApplicationState.Returned => "退回补正",
        ApplicationState.Approved => "待出具文件",
        ApplicationState.Issued => "已出具核定文件",
        _ => "不予核定",
    };
}
