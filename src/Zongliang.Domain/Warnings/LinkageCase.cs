using Zongliang.Domain.Common;

namespace Zongliang.Domain.Warnings;

public enum CaseState
{
    /// <summary>已立案, waiting for the inspection section to assign it.</summary>
    Opened = 0,
    /// <summary>已指派: an inspector and a deadline.</summary>
    Assigned = 1,
    /// <summary>已现场核查: findings recorded.</summary>
    Checked = 2,
    /// <summary>已处理: the inspection section's conclusion.</summary>
    Handled = 3,
    /// <summary>已办结: the monitoring station confirmed.</summary>
    Closed = 4,
}

public enum CaseSource
{
    Exceedance = 1,
    SupervisoryMonitoring = 2,
    Suspicion = 3,
    DeadlineTreatment = 4,
    Manual = 5,
}

public enum CaseOutcome
{
    None = 0,
    /// <summary>违法属实, with the measure taken.</summary>
    Violation = 1,
    /// <summary>未发现违法.</summary>
    NoViolation = 2,
    /// <summary>监测设备故障.</summary>
    DeviceFault = 3,
}

/// <summary>A step of a case, kept for its history: who moved it from which state to which, when, and what they wrote.</summary>
public sealed class CaseStep
{
    private CaseStep() { }

    public CaseStep(CaseState from, CaseState to, string action, string actor, DateTime atUtc, string note)
    {
        From = from;
        To = to;
        Action = action;
        Actor = actor;
        AtUtc = atUtc;
        Note = note.Length <= 1000 ? note : note[..1000];
    }

    public long Id { get; private set; }
    public long CaseId { get; private set; }
    public CaseState From { get; private set; }
    public CaseState To { get; private set; }
    public string Action { get; private set; } = "";
    public string Actor { get; private set; } = "";
    public DateTime AtUtc { get; private set; }
    public string Note { get; private set; } = "";
}

/// <summary>
/// A linkage case (部门联动, M3): an exceedance, a failed supervisory-monitoring result or a confirmed
/// suspicion handed to the inspection section of the source's region. opened → assigned (inspector,
/// deadline) → checked on site (findings) → handled (violation with its measure, no violation, or a
/// device fault) → closed when the monitoring station confirms; a handled or closed case can be
/// reopened with a reason, and goes back to the inspection section. Every move is a <see cref="CaseStep"/>.
/// </summary>
public sealed class LinkageCase
{
    private readonly List<CaseStep> _steps = [];

    private LinkageCase() { }

    public long Id { get; private set; }
    public int RegionId { get; private set; }
    public int EnterpriseId { get; private set; }
    public int? OutletId { get; private set; }
    public long? WarningId { get; private set; }
    public CaseSource Source { get; private set; }
    public string Subject { get; private set; } = "";
    public CaseState State { get; private set; }
    public string OpenedBy { get; private set; } = "";
    public DateTime OpenedAtUtc { get; private set; }
    /// <summary>User name of the inspector.</summary>
    public string Assignee { get; private set; } = "";
    public DateOnly? Deadline { get; private set; }
    public string Findings { get; private set; } = "";
    public CaseOutcome Result { get; private set; }
    public string Measure { get; private set; } = "";
    public DateTime? HandledAtUtc { get; private set; }
    public DateTime? ClosedAtUtc { get; private set; }
    /// <summary>Past its deadline before it was handled; the section head was told.</summary>
    public bool Escalated { get; private set; }
    public int Reopened { get; private set; }
    public IReadOnlyList<CaseStep> Steps => _steps;

    public static (LinkageCase? Case, Common.Outcome Outcome) Open(int regionId, int enterpriseId, int? outletId, long? warningId, CaseSource source,
        string? subject, string openedBy, DateTime nowUtc)
    {
        subject = subject?.Trim() ?? "";
        if (subject.Length < 4)
            return (null, Outcome.Refuse("请写明案由（至少4个字）", "Subject"));
        if (subject.Length > 300)
            return (null, Outcome.Refuse("案由不能超过300字", "Subject"));
        var c = new LinkageCase
        {
            RegionId = regionId, EnterpriseId = enterpriseId, OutletId = outletId, WarningId = warningId, Source = source,
            Subject = subject, OpenedBy = openedBy, OpenedAtUtc = nowUtc, State = CaseState.Opened,
        };
        c._steps.Add(new CaseStep(CaseState.Opened, CaseState.Opened, "立案", openedBy, nowUtc, subject));
        return (c, Outcome.Ok());
    }

    /// <summary>The section assigns (or reassigns, before the check) an inspector with a deadline not in the past.</summary>
    public Outcome Assign(string? inspector, DateOnly? deadline, string actor, DateTime nowUtc, string? inspectorName = null)
    {
        if (State is not (CaseState.Opened or CaseState.Assigned))
            return Outcome.Refuse("案件已进入现场核查，不能再指派");
        if (string.IsNullOrWhiteSpace(inspector))
            return Outcome.Refuse("请选择承办人", "Inspector");
        if (deadline is null)
            return Outcome.Refuse("请填写办理期限", "Deadline");
        if (deadline.Value < BeijingTime.Date(nowUtc))
            return Outcome.Refuse("办理期限不能早于今天", "Deadline");
        var from = State;
        Assignee = inspector.Trim();
        Deadline = deadline;
        Escalated = false;
        State = CaseState.Assigned;
        _steps.Add(new CaseStep(from, State, from == CaseState.Assigned ? "改派" : "指派", actor, nowUtc, $"承办人 {inspectorName ?? Assignee}，期限 {deadline:yyyy-MM-dd}"));
        return Outcome.Ok();
    }

    public Outcome RecordCheck(string? findings, string actor, DateTime nowUtc)
    {
        if (State != CaseState.Assigned)
            return Outcome.Refuse(State == CaseState.Opened ? "案件尚未指派承办人" : "案件不在待核查状态");
        findings = findings?.Trim() ?? "";
        if (findings.Length < 4)
            return Outcome.Refuse("请填写现场核查情况（至少4个字）", "Findings");
        if (findings.Length > 2000)
            return Outcome.Refuse("现场核查情况不能超过2000字", "Findings");
        Findings = findings;
        State = CaseState.Checked;
        _steps.Add(new CaseStep(CaseState.Assigned, State, "现场核查", actor, nowUtc, findings));
        return Outcome.Ok();
    }

    public Outcome Handle(CaseOutcome outcome, string? measure, string actor, DateTime nowUtc)
    {
        if (State != CaseState.Checked)
            return Outcome.Refuse("请先完成现场核查");
        if (outcome == CaseOutcome.None || !Enum.IsDefined(outcome))
            return Outcome.Refuse("请选择处理结论", "Outcome");
        measure = measure?.Trim() ?? "";
        if (outcome == CaseOutcome.Violation && measure.Length < 4)
            return Outcome.Refuse("违法属实的，请写明采取的措施（如责令改正、罚款、限产、停产整治）", "Measure");
        if (measure.Length > 1000)
            return Outcome.Refuse("处理措施不能超过1000字", "Measure");
        Result = outcome;
        Measure = measure;
        HandledAtUtc = nowUtc;
        State = CaseState.Handled;
        _steps.Add(new CaseStep(CaseState.Checked, State, "处理", actor, nowUtc, $"{OutcomeLabel(outcome)}{(measure.Length > 0 ? "：" + measure : "")}"));
        return Outcome.Ok();
    }

    /// <summary>The monitoring station confirms the handling (e.g. the data are back under the limit) and closes the case.</summary>
    public Outcome Close(string? confirmation, string actor, DateTime nowUtc)
    {
        if (State != CaseState.Handled)
            return Outcome.Refuse("案件尚未处理完毕，不能办结");
        confirmation = confirmation?.Trim() ?? "";
        if (confirmation.Length < 2)
            return Outcome.Refuse("请填写监测站确认意见", "Confirmation");
        ClosedAtUtc = nowUtc;
        State = CaseState.Closed;
        _steps.Add(new CaseStep(CaseState.Handled, State, "确认办结", actor, nowUtc, confirmation));
        return Outcome.Ok();
    }

    /// <summary>A handled or closed case goes back to the inspection section (to be assigned again) with a reason.</summary>
    public Outcome Reopen(string? reason, string actor, DateTime nowUtc)
    {
        if (State is not (CaseState.Handled or CaseState.Closed))
            return Outcome.Refuse("只有已处理或已办结的案件可以重新办理");
        reason = reason?.Trim() ?? "";
        if (reason.Length < 4)
            return Outcome.Refuse("请写明重新办理的理由（至少4个字）", "Reason");
        var from = State;
        State = CaseState.Opened;
        Result = CaseOutcome.None;
        Measure = "";
        HandledAtUtc = null;
        ClosedAtUtc = null;
        Deadline = null;
        Escalated = false;
        Reopened++;
        _steps.Add(new CaseStep(from, State, "重新办理", actor, nowUtc, reason));
        return Outcome.Ok();
    }

    /// <summary>Whether the case is past its deadline (Beijing date) and not yet handled.</summary>
    public bool IsOverdue(DateTime nowUtc) =>
        State is CaseState.Assigned or CaseState.Checked && Deadline is { } d && BeijingTime.Date(nowUtc) > d;

    /// <summary>Marks an overdue case escalated (once); returns whether it was newly escalated.</summary>
    public bool Escalate(DateTime nowUtc)
    {
        if (Escalated || !IsOverdue(nowUtc)) return false;
        Escalated = true;
        _steps.Add(new CaseStep(State, State, "逾期督办", "system", nowUtc, $"超过办理期限 {Deadline:yyyy-MM-dd}，已报科室负责人"));
        return true;
    }

    public static string StateLabel(CaseState state) => state switch
    {
        CaseState.Opened => "待指派",
        CaseState.Assigned => "待核查",
        CaseState.Checked => "待处理",
        CaseState.Handled => "待确认",
        CaseState.Closed => "已办结",
        _ => state.ToString(),
    };

    public static string OutcomeLabel(CaseOutcome outcome) => outcome switch
    {
        CaseOutcome.Violation => "违法属实",
        CaseOutcome.NoViolation => "未发现违法",
        CaseOutcome.DeviceFault => "监测设备故障",
        _ => "",
    };

    public static string SourceLabel(CaseSource source) => source switch
    {
        CaseSource.Exceedance => "超标预警",
        CaseSource.SupervisoryMonitoring => "监督性监测",
        CaseSource.Suspicion => "疑似弄虚作假",
        CaseSource.DeadlineTreatment => "限期治理",
        CaseSource.Manual => "人工移送",
        _ => source.ToString(),
    };
}

/// <summary>A photo or document of a case's on-site check (现场照片、笔录).</summary>
public sealed class CaseAttachment
{
    private CaseAttachment() { }

    public long Id { get; private set; }
    public long CaseId { get; private set; }
    public string FileName { get; private set; } = "";
    public string ContentType { get; private set; } = "";
    public int Size { get; private set; }
    public byte[] Content { get; private set; } = [];
    public string UploadedBy { get; private set; } = "";
    public DateTime UploadedAtUtc { get; private set; }

    /// <summary>Accepted while the case is open (not closed).</summary>
    public static (CaseAttachment? Attachment, Outcome Outcome) Add(LinkageCase c, string? fileName, byte[] content, string by, DateTime nowUtc)
    {
        if (c.State == CaseState.Closed)
            return (null, Outcome.Refuse("案件已办结，不能再添加附件", "File"));
        var (name, type, check) = Upload.Check(fileName, content);
        if (!check.Succeeded)
            return (null, check);
        return (new CaseAttachment { CaseId = c.Id, FileName = name, ContentType = type, Size = content.Length, Content = content, UploadedBy = by, UploadedAtUtc = nowUtc }, Outcome.Ok());
    }
}
