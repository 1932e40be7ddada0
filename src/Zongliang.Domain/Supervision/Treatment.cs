using Zongliang.Domain.Common;

namespace Zongliang.Domain.Supervision;

public enum TreatmentState
{
    /// <summary>治理中: before the deadline.</summary>
    InProgress = 0,
    /// <summary>到期待监测: the deadline has passed; the post-deadline monitoring is due.</summary>
    AwaitingMonitoring = 1,
    /// <summary>验收合格: the post-deadline monitoring found every factor under its limit.</summary>
    Passed = 2,
    /// <summary>逾期未完成: the monitoring found an exceedance; a linkage case carries the proposal.</summary>
    Failed = 3,
}

/// <summary>A deadline-treatment list issued by a document (限期治理名单), e.g. 20 enterprises with COD exceedance.</summary>
public sealed class TreatmentList
{
    private TreatmentList() { }

    public long Id { get; private set; }
    public string DocumentNumber { get; private set; } = "";
    public string Title { get; private set; } = "";
    public DateOnly IssuedOn { get; private set; }
    public string IssuedBy { get; private set; } = "";
    public DateTime CreatedAtUtc { get; private set; }

    public static (TreatmentList? List, Outcome Outcome) Issue(string? documentNumber, string? title, DateOnly? issuedOn, string by, DateTime nowUtc)
    {
        documentNumber = documentNumber?.Trim() ?? "";
        title = title?.Trim() ?? "";
        if (documentNumber.Length < 4 || documentNumber.Length > 64)
            return (null, Outcome.Refuse("请填写下达文号（如 青环限治〔2026〕1号）", "DocumentNumber"));
        if (title.Length < 4 || title.Length > 200)
            return (null, Outcome.Refuse("请填写名单标题（4~200字）", "Title"));
        if (issuedOn is null || issuedOn > BeijingTime.Date(nowUtc))
            return (null, Outcome.Refuse("请填写下达日期，且不晚于今天", "IssuedOn"));
        return (new TreatmentList { DocumentNumber = documentNumber, Title = title, IssuedOn = issuedOn.Value, IssuedBy = by, CreatedAtUtc = nowUtc }, Outcome.Ok());
    }
}

/// <summary>A progress report on an entry (治理进展), by the county or the enterprise.</summary>
public sealed class TreatmentProgress
{
    private TreatmentProgress() { }

    public long Id { get; private set; }
    public long EntryId { get; private set; }
    public int Percent { get; private set; }
    public string Works { get; private set; } = "";
    public string FacilityOperation { get; private set; } = "";
    public string ReportedBy { get; private set; } = "";
    public DateTime ReportedAtUtc { get; private set; }

    public static (TreatmentProgress? Progress, Outcome Outcome) Report(TreatmentEntry entry, int? percent, string? works, string? facility, string by, DateTime nowUtc)
    {
        works = works?.Trim() ?? "";
        facility = facility?.Trim() ?? "";
        if (entry.State != TreatmentState.InProgress && entry.State != TreatmentState.AwaitingMonitoring)
            return (null, Outcome.Refuse("该条目已办结，不再报送进展"));
        if (percent is null or < 0 or > 100)
            return (null, Outcome.Refuse("工程进度为0~100的整数", "Percent"));
        if (works.Length < 4 || works.Length > 1000)
            return (null, Outcome.Refuse("请填写治理工程进展（4~1000字）", "Works"));
        if (facility.Length > 500)
            return (null, Outcome.Refuse("设施运行情况不超过500字", "FacilityOperation"));
        return (new TreatmentProgress { EntryId = entry.Id, Percent = percent.Value, Works = works, FacilityOperation = facility, ReportedBy = by, ReportedAtUtc = nowUtc }, Outcome.Ok());
    }
}

/// <summary>A joint spot check with inspection (联合抽查), recorded against an entry.</summary>
public sealed class TreatmentCheck
{
    private TreatmentCheck() { }

    public long Id { get; private set; }
    public long EntryId { get; private set; }
    public DateOnly CheckedOn { get; private set; }
    public string Participants { get; private set; } = "";
    public string Findings { get; private set; } = "";
    public string RecordedBy { get; private set; } = "";
    public DateTime RecordedAtUtc { get; private set; }

    public static (TreatmentCheck? Check, Outcome Outcome) Record(TreatmentEntry entry, DateOnly? on, string? participants, string? findings, string by, DateTime nowUtc)
    {
        participants = participants?.Trim() ?? "";
        findings = findings?.Trim() ?? "";
        if (on is null || on > BeijingTime.Date(nowUtc))
            return (null, Outcome.Refuse("请填写抽查日期，且不晚于今天", "CheckedOn"));
        if (participants.Length < 2 || participants.Length > 200)
            return (null, Outcome.Refuse("请填写参加人员", "Participants"));
        if (findings.Length < 4 || findings.Length > 1000)
            return (null, Outcome.Refuse("请填写抽查情况（4~1000字）", "Findings"));
        return (new TreatmentCheck { EntryId = entry.Id, CheckedOn = on.Value, Participants = participants, Findings = findings, RecordedBy = by, RecordedAtUtc = nowUtc }, Outcome.Ok());
    }
}

/// <summary>
/// An enterprise on a deadline-treatment list (限期治理条目): what it must do by when. On the deadline
/// day a post-deadline monitoring task is created; its result passes the entry, or fails it and a
/// linkage case carries the proposal (production limits, closure).
/// </summary>
public sealed class TreatmentEntry
{
    private TreatmentEntry() { }

    public long Id { get; private set; }
    public long ListId { get; private set; }
    public int EnterpriseId { get; private set; }
    public int RegionId { get; private set; }
    /// <summary>The problem, e.g. "COD 超标" or "燃煤锅炉 SO2 超标".</summary>
    public string Problem { get; private set; } = "";
    public DateOnly Deadline { get; private set; }
    public string RequiredMeasures { get; private set; } = "";
    public string Project { get; private set; } = "";
    public TreatmentState State { get; private set; }
    public long? MonitoringTaskId { get; private set; }
    public long? CaseId { get; private set; }
    public DateTime? ConcludedAtUtc { get; private set; }
    public string Conclusion { get; private set; } = "";

    public static (TreatmentEntry? Entry, Outcome Outcome) Add(TreatmentList list, int enterpriseId, int regionId, string? problem, DateOnly? deadline,
        string? measures, string? project)
    {
        problem = problem?.Trim() ?? "";
        measures = measures?.Trim() ?? "";
        project = project?.Trim() ?? "";
        if (problem.Length < 2 || problem.Length > 100)
            return (null, Outcome.Refuse("请填写存在问题（如 COD 超标）", "Problem"));
        if (deadline is null)
            return (null, Outcome.Refuse("请填写治理期限", "Deadline"));
        if (deadline <= list.IssuedOn)
            return (null, Outcome.Refuse("治理期限应晚于名单下达日期", "Deadline"));
        if (measures.Length < 4 || measures.Length > 1000)
            return (null, Outcome.Refuse("请填写治理要求（4~1000字）", "RequiredMeasures"));
        if (project.Length > 200)
            return (null, Outcome.Refuse("治理项目不超过200字", "Project"));
        return (new TreatmentEntry
        {
            ListId = list.Id, EnterpriseId = enterpriseId, RegionId = regionId, Problem = problem, Deadline = deadline.Value,
            RequiredMeasures = measures, Project = project, State = TreatmentState.InProgress,
        }, Outcome.Ok());
    }

    /// <summary>Days left to the deadline (negative: past it), in Beijing days.</summary>
    public int DaysLeft(DateOnly today) => Deadline.DayNumber - today.DayNumber;

    /// <summary>Whether the post-deadline monitoring is due: on or after the deadline day, not yet created.</summary>
    public bool MonitoringDue(DateOnly today) => State == TreatmentState.InProgress && today >= Deadline && MonitoringTaskId is null;

    public void MonitoringCreated(long taskId)
    {
        MonitoringTaskId = taskId;
        State = TreatmentState.AwaitingMonitoring;
    }

    /// <summary>The post-deadline monitoring's result decides the entry.</summary>
    public Outcome Conclude(bool exceeded, string evidence, DateTime nowUtc)
    {
        if (State != TreatmentState.AwaitingMonitoring)
            return Outcome.Refuse("该条目不在到期待监测状态");
        State = exceeded ? TreatmentState.Failed : TreatmentState.Passed;
        Conclusion = evidence.Length <= 500 ? evidence : evidence[..500];
        ConcludedAtUtc = nowUtc;
        return Outcome.Ok();
    }

    public void LinkCase(long caseId) => CaseId = caseId;

    public static string StateLabel(TreatmentState state) => state switch
    {
        TreatmentState.InProgress => "治理中",
        TreatmentState.AwaitingMonitoring => "到期待监测",
        TreatmentState.Passed => "验收合格",
        TreatmentState.Failed => "逾期未完成",
        _ => state.ToString(),
    };
}
