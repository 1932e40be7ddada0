using Zongliang.Domain.Common;

namespace Zongliang.Domain.Supervision;

public enum SupervisoryKind
{
    /// <summary>The annual plan's quarterly monitoring of a key source (监督性监测).</summary>
    Quarterly = 1,
    /// <summary>Monitoring when a deadline-treatment entry's deadline expires (限期治理到期监测).</summary>
    PostDeadline = 2,
}

/// <summary>An edit of a task (responsible person or due date), kept with who, when and why.</summary>
public sealed class SupervisoryTaskEdit
{
    private SupervisoryTaskEdit() { }

    public SupervisoryTaskEdit(string field, string before, string after, string reason, string by, DateTime atUtc)
    {
        Field = field;
        Before = before;
        After = after;
        Reason = reason;
        By = by;
        AtUtc = atUtc;
    }

    public long Id { get; private set; }
    public long TaskId { get; private set; }
    public string Field { get; private set; } = "";
    public string Before { get; private set; } = "";
    public string After { get; private set; } = "";
    public string Reason { get; private set; } = "";
    public string By { get; private set; } = "";
    public DateTime AtUtc { get; private set; }
}

/// <summary>
/// A monitoring task of the monitoring station: one per key source per quarter in the annual plan
/// (M2), or one when a deadline-treatment entry expires (M7). It names the person responsible and
/// its due date; it is done when a sample's results are entered.
/// </summary>
public sealed class SupervisoryTask
{
    private readonly List<SupervisoryTaskEdit> _edits = [];

    private SupervisoryTask() { }

    public long Id { get; private set; }
    public SupervisoryKind Kind { get; private set; }
    public int Year { get; private set; }
    /// <summary>1–4 for the plan's tasks; 0 for a post-deadline task.</summary>
    public int Quarter { get; private set; }
    public int EnterpriseId { get; private set; }
    public int RegionId { get; private set; }
    public long? TreatmentEntryId { get; private set; }
    public string Responsible { get; private set; } = "";
    public DateOnly Due { get; private set; }
    public DateTime CreatedAtUtc { get; private set; }
    public string CreatedBy { get; private set; } = "";
    /// <summary>When the first sample was entered: the task is done.</summary>
    public DateTime? DoneAtUtc { get; private set; }
    public IReadOnlyList<SupervisoryTaskEdit> Edits => _edits;

    public bool IsOverdue(DateOnly today) => DoneAtUtc is null && today > Due;

    public static SupervisoryTask Planned(int year, int quarter, int enterpriseId, int regionId, string responsible, string by, DateTime nowUtc) => new()
    {
        Kind = SupervisoryKind.Quarterly, Year = year, Quarter = quarter, EnterpriseId = enterpriseId, RegionId = regionId,
        Responsible = responsible, Due = QuarterEnd(year, quarter), CreatedAtUtc = nowUtc, CreatedBy = by,
    };

    public static SupervisoryTask AfterDeadline(long entryId, int enterpriseId, int regionId, DateOnly deadline, int days, string responsible, DateTime nowUtc) => new()
    {
        Kind = SupervisoryKind.PostDeadline, Year = deadline.Year, Quarter = 0, EnterpriseId = enterpriseId, RegionId = regionId, TreatmentEntryId = entryId,
        Responsible = responsible, Due = deadline.AddDays(days), CreatedAtUtc = nowUtc, CreatedBy = "system",
    };

    /// <summary>The last day of a quarter.</summary>
    public static DateOnly QuarterEnd(int year, int quarter) => new DateOnly(year, quarter * 3, 1).AddMonths(1).AddDays(-1);

    /// <summary>The quarter (1–4) of a date.</summary>
    public static int QuarterOf(DateOnly date) => (date.Month - 1) / 3 + 1;

    /// <summary>Changes the responsible person or the due date of an open task, with a reason; each change is recorded.</summary>
    public Outcome Edit(string? responsible, DateOnly? due, string? reason, string by, DateTime nowUtc)
    {
        if (DoneAtUtc is not null)
            return Outcome.Refuse("任务已完成，不能再修改");
        responsible = responsible?.Trim() ?? "";
        reason = reason?.Trim() ?? "";
        if (responsible.Length == 0)
            return Outcome.Refuse("请填写负责人", "Responsible");
        if (responsible.Length > 32)
            return Outcome.Refuse("负责人不超过32个字", "Responsible");
        if (due is null)
            return Outcome.Refuse("请填写完成期限", "Due");
        if (Kind == SupervisoryKind.Quarterly && due.Value.Year != Year)
            return Outcome.Refuse("完成期限应在计划年度内", "Due");
        if (responsible == Responsible && due == Due)
            return Outcome.Refuse("没有修改任何内容");
        if (reason.Length < 2)
            return Outcome.Refuse("请写明修改原因", "Reason");
        if (responsible != Responsible)
            _edits.Add(new SupervisoryTaskEdit("负责人", Responsible, responsible, reason, by, nowUtc));
        if (due != Due)
            _edits.Add(new SupervisoryTaskEdit("完成期限", Due.ToString("yyyy-MM-dd"), due.Value.ToString("yyyy-MM-dd"), reason, by, nowUtc));
        Responsible = responsible;
        Due = due.Value;
        return Outcome.Ok();
    }

    public void MarkDone(DateTime nowUtc) => DoneAtUtc ??= nowUtc;
}

/// <summary>One factor's result of a sample, as judged when entered.</summary>
public sealed class SampleValue
{
    private SampleValue() { }

    public SampleValue(string factorCode, double value, double? limit, double? online, double maxDifferencePercent)
    {
        FactorCode = factorCode;
        Value = value;
        Limit = limit;
        Exceeded = limit is > 0 && value > limit;
        Online = online;
        DifferencePercent = online is { } o && (o != 0 || value != 0) ? Math.Round(Math.Abs(value - o) / Math.Max(Math.Abs(value), Math.Abs(o)) * 100, 1) : null;
        Suspicious = DifferencePercent > maxDifferencePercent;
    }

    public long Id { get; private set; }
    public long SampleId { get; private set; }
    public string FactorCode { get; private set; } = "";
    public double Value { get; private set; }
    public double? Limit { get; private set; }
    public bool Exceeded { get; private set; }
    /// <summary>The online device's value of the same hour (O2-corrected for gas where there is one).</summary>
    public double? Online { get; private set; }
    /// <summary>|manual − online| / the larger of the two, %.</summary>
    public double? DifferencePercent { get; private set; }
    /// <summary>The difference is larger than the rule allows: a suspicion of the online data.</summary>
    public bool Suspicious { get; private set; }
}

/// <summary>A manual sample of a task (监测结果): when and how it was taken, the lab report, and each factor's value.</summary>
public sealed class SupervisorySample
{
    private readonly List<SampleValue> _values = [];

    private SupervisorySample() { }

    public long Id { get; private set; }
    public long TaskId { get; private set; }
    public int OutletId { get; private set; }
    public DateTime SampledAtUtc { get; private set; }
    public string Method { get; private set; } = "";
    public string ReportNumber { get; private set; } = "";
    public string EnteredBy { get; private set; } = "";
    public DateTime EnteredAtUtc { get; private set; }
    public IReadOnlyList<SampleValue> Values => _values;

    public bool Exceeded => _values.Any(v => v.Exceeded);

    /// <summary>
    /// Records a sample; refused without values, with a sampling time in the future, out of the plausible
    /// dates or before the plan's year, without a report number, or with a value out of the plausible lab
    /// values (the refusal's field is then that value's factor code).
    /// </summary>
    public static (SupervisorySample? Sample, Outcome Outcome) Enter(SupervisoryTask task, int outletId, DateTime sampledAtUtc, string? method, string? reportNumber,
        IReadOnlyList<SampleValue> values, string by, DateTime nowUtc)
    {
        method = method?.Trim() ?? "";
        reportNumber = reportNumber?.Trim() ?? "";
        if (sampledAtUtc > nowUtc)
            return (null, Outcome.Refuse("采样时间不能晚于现在", "SampledAt"));
        var ranges = PlausibleRanges.Current;
        if (!ranges.IsPlausibleInstant(sampledAtUtc, nowUtc))
            return (null, Outcome.Refuse(ranges.DateMessage(DateOnly.FromDateTime(nowUtc)), "SampledAt"));
        if (task.Kind == SupervisoryKind.Quarterly && BeijingTime.Date(sampledAtUtc).Year != task.Year)
            return (null, Outcome.Refuse("采样时间应在计划年度内", "SampledAt"));
        if (method.Length < 2)
            return (null, Outcome.Refuse("请填写监测方法（如 HJ 828-2017）", "Method"));
        if (reportNumber.Length < 2)
            return (null, Outcome.Refuse("请填写监测报告编号", "ReportNumber"));
        if (values.Count == 0)
            return (null, Outcome.Refuse("请至少填写一个因子的监测值", "Values"));
        if (values.Any(v => v.Value < 0 || double.IsNaN(v.Value)))
            return (null, Outcome.Refuse("监测值不能为负数", "Values"));
        if (values.FirstOrDefault(v => !ranges.LabValue.Contains(v.Value)) is { } implausible)
            return (null, Outcome.Refuse($"监测值超出合理范围（{ranges.LabValue.Describe("")}）", implausible.FactorCode));
        var sample = new SupervisorySample
        {
            TaskId = task.Id, OutletId = outletId, SampledAtUtc = sampledAtUtc, Method = Cut(method, 100), ReportNumber = Cut(reportNumber, 64),
            EnteredBy = by, EnteredAtUtc = nowUtc,
        };
        sample._values.AddRange(values);
        task.MarkDone(nowUtc);
        return (sample, Outcome.Ok());
    }

    private static string Cut(string s, int max) => s.Length <= max ? s : s[..max];
}

/// <summary>The annual plan: every key source once a quarter.</summary>
public static class SupervisoryPlan
{
    /// <summary>The tasks of a year's plan that do not exist yet, for the key sources given; the existing ones are kept as they are.</summary>
    public static List<SupervisoryTask> Generate(int year, IEnumerable<(int EnterpriseId, int RegionId)> keySources, ISet<(int EnterpriseId, int Quarter)> existing,
        string responsible, string by, DateTime nowUtc) =>
        keySources.SelectMany(k => Enumerable.Range(1, 4).Where(q => !existing.Contains((k.EnterpriseId, q)))
            .Select(q => SupervisoryTask.Planned(year, q, k.EnterpriseId, k.RegionId, responsible, by, nowUtc))).ToList();

    /// <summary>Share of a set of tasks done, or null when there are none.</summary>
    public static double? CompletionRate(IReadOnlyCollection<SupervisoryTask> tasks) =>
        tasks.Count == 0 ? null : (double)tasks.Count(t => t.DoneAtUtc is not null) / tasks.Count;
}

/// <summary>
/// A quarter's upward report to the provincial monitoring station, registered when sent: when, by
/// whom, how many rows, and whether it was on time (by the Beijing date against the due date).
/// </summary>
public sealed class SupervisoryReport
{
    private SupervisoryReport() { }

    public long Id { get; private set; }
    public int Year { get; private set; }
    public int Quarter { get; private set; }
    public DateOnly Due { get; private set; }
    public DateTime ReportedAtUtc { get; private set; }
    public string ReportedBy { get; private set; } = "";
    public int Rows { get; private set; }

    public bool OnTime => BeijingTime.Date(ReportedAtUtc) <= Due;

    /// <summary>The report of a quarter is due this many days after the quarter's end.</summary>
    public static DateOnly DueOf(int year, int quarter, int days) => SupervisoryTask.QuarterEnd(year, quarter).AddDays(days);

    /// <summary>Registers a report of an ended quarter; refused for a quarter still running or a report without rows.</summary>
    public static (SupervisoryReport? Report, Outcome Outcome) Register(int year, int quarter, int dueDays, int rows, string by, DateTime nowUtc)
    {
        if (quarter is < 1 or > 4)
            return (null, Outcome.Refuse("季度应为1~4"));
        if (BeijingTime.Date(nowUtc) <= SupervisoryTask.QuarterEnd(year, quarter))
            return (null, Outcome.Refuse("本季度尚未结束，季度结束后上报"));
        if (rows == 0)
            return (null, Outcome.Refuse("本季度没有监测结果，无需上报"));
        return (new SupervisoryReport { Year = year, Quarter = quarter, Due = DueOf(year, quarter, dueDays), ReportedAtUtc = nowUtc, ReportedBy = by, Rows = rows }, Outcome.Ok());
    }
}
