using Zongliang.Domain.Common;
using Zongliang.Domain.Monitoring.Validity;

namespace Zongliang.Domain.Monitoring;

/// <summary>
/// A stored hour of one factor at one outlet (小时数据), as the validity rules and the accounting
/// judged it. Derived data: recomputed from the minute readings and the audit decisions whenever
/// either changes, never edited by hand.
/// </summary>
public sealed class HourAggregate
{
    public int OutletId { get; set; }
    public string FactorCode { get; set; } = "";
    public DateTime HourUtc { get; set; }
    public double? Mean { get; set; }
    public double? Min { get; set; }
    public double? Max { get; set; }
    public double? Corrected { get; set; }
    public short Received { get; set; }
    public short Stopped { get; set; }
    public short Expected { get; set; }
    public short ValidCount { get; set; }
    public short ManualCount { get; set; }
    public PeriodStatus Status { get; set; }
    public SuspectReason Suspect { get; set; }
    public bool Audited { get; set; }
    public NoticeKind Notice { get; set; }
    public double? MassKg { get; set; }
    public MassSource Mass { get; set; }
    public double? VolumeM3 { get; set; }

    public HourValue ToValue() => new()
    {
        HourUtc = HourUtc, Mean = Mean, Min = Min, Max = Max, Corrected = Corrected, Received = Received, StoppedCount = Stopped,
        Expected = Expected, ValidCount = ValidCount, ManualCount = ManualCount, Status = Status, Suspect = Suspect, Audited = Audited,
        Notice = Notice, MassKg = MassKg, Mass = Mass, VolumeM3 = VolumeM3,
    };

    public static HourAggregate From(int outletId, string factorCode, in HourValue h) => new()
    {
        OutletId = outletId, FactorCode = factorCode, HourUtc = h.HourUtc, Mean = h.Mean, Min = h.Min, Max = h.Max,
        Corrected = h.Corrected, Received = (short)h.Received, Stopped = (short)h.StoppedCount, Expected = (short)h.Expected, ValidCount = (short)h.ValidCount,
        ManualCount = (short)h.ManualCount, Status = h.Status, Suspect = h.Suspect, Audited = h.Audited, Notice = h.Notice, MassKg = h.MassKg,
        Mass = h.Mass, VolumeM3 = h.VolumeM3,
    };
}

/// <summary>A stored Beijing day of one factor at one outlet (日数据). Derived, like <see cref="HourAggregate"/>.</summary>
public sealed class DayAggregate
{
    public int OutletId { get; set; }
    public string FactorCode { get; set; } = "";
    public DateOnly Day { get; set; }
    public double? Mean { get; set; }
    public double? Min { get; set; }
    public double? Max { get; set; }
    public short Hours { get; set; }
    public short ValidHours { get; set; }
    public short StoppedHours { get; set; }
    public int ValidPoints { get; set; }
    public int ExpectedPoints { get; set; }
    public PeriodStatus Status { get; set; }
    public SuspectReason Suspect { get; set; }
    public bool Audited { get; set; }
    public double MassKg { get; set; }
    public short SubstitutedHours { get; set; }
    public short UnknownMassHours { get; set; }
    public double? VolumeM3 { get; set; }

    public static DayAggregate From(int outletId, string factorCode, in DayValue d) => new()
    {
        OutletId = outletId, FactorCode = factorCode, Day = d.Day, Mean = d.Mean, Min = d.Min, Max = d.Max, Hours = (short)d.Hours,
        ValidHours = (short)d.ValidHours, StoppedHours = (short)d.StoppedHours, ValidPoints = d.ValidPoints, ExpectedPoints = d.ExpectedPoints,
        Status = d.Status, Suspect = d.Suspect, Audited = d.Audited, MassKg = d.MassKg, SubstitutedHours = (short)d.SubstitutedHours,
        UnknownMassHours = (short)d.UnknownMassHours, VolumeM3 = d.VolumeM3,
    };

    public DayValue ToValue() => new()
    {
        Day = Day, Mean = Mean, Min = Min, Max = Max, Hours = Hours, ValidHours = ValidHours, StoppedHours = StoppedHours,
        ValidPoints = ValidPoints, ExpectedPoints = ExpectedPoints, Status = Status, Suspect = Suspect, Audited = Audited,
        MassKg = MassKg, SubstitutedHours = SubstitutedHours, UnknownMassHours = UnknownMassHours, VolumeM3 = VolumeM3,
    };
}

/// <summary>
/// An auditor's decision on the validity of an hour or a day (数据有效性审核), for one factor or
/// for every factor of the outlet. Append-only: a re-audit is a new decision with its own reason,
/// and the value and status before are kept with each decision.
/// </summary>
public sealed class AuditDecision
{
    private AuditDecision() { }

    public long Id { get; private set; }
    public int OutletId { get; private set; }
    /// <summary>Empty: every factor of the outlet.</summary>
    public string FactorCode { get; private set; } = "";
    public DateTime StartUtc { get; private set; }
    public AuditSpan Span { get; private set; }
    public bool Valid { get; private set; }
    public string Reason { get; private set; } = "";
    public string DecidedBy { get; private set; } = "";
    public DateTime DecidedAtUtc { get; private set; }
    /// <summary>The period had been decided before: this decision is a re-audit (复核).</summary>
    public bool Reaudit { get; private set; }
    public PeriodStatus StatusBefore { get; private set; }
    public double? MeanBefore { get; private set; }

    public AuditOverride ToOverride() => new(FactorCode, StartUtc, Span, Valid);

    /// <summary>
    /// Records a decision. Refused without a reason, for a period that has not ended, or for a start
    /// that is not the start of an hour or a Beijing day.
    /// </summary>
    public static (AuditDecision? Decision, Outcome Outcome) Decide(
        int outletId, string factorCode, DateTime startUtc, AuditSpan span, bool valid, string? reason,
        string decidedBy, DateTime nowUtc, bool decidedBefore, PeriodStatus statusBefore, double? meanBefore)
    {
        reason = reason?.Trim() ?? "";
        if (reason.Length < 2)
            return (null, Outcome.Refuse(decidedBefore ? "该时段已审核，复核须写明理由" : "请写明审核理由", "Reason"));
        if (reason.Length > 500)
            return (null, Outcome.Refuse("审核理由不能超过500字", "Reason"));
        var aligned = span == AuditSpan.Hour
            ? startUtc.Ticks % TimeSpan.TicksPerHour == 0
            : BeijingTime.DayStartUtc(BeijingTime.Date(startUtc)) == startUtc;
        if (!aligned)
            return (null, Outcome.Refuse("审核时段应从整点（或北京时间零点）开始", "Start"));
        var end = startUtc.AddHours(span == AuditSpan.Hour ? 1 : 24);
        if (end > nowUtc)
            return (null, Outcome.Refuse("时段尚未结束，不能审核", "Start"));
        return (new AuditDecision
        {
            OutletId = outletId, FactorCode = factorCode, StartUtc = DateTime.SpecifyKind(startUtc, DateTimeKind.Utc), Span = span,
            Valid = valid, Reason = reason, DecidedBy = decidedBy, DecidedAtUtc = nowUtc, Reaudit = decidedBefore,
            StatusBefore = statusBefore, MeanBefore = meanBefore,
        }, Outcome.Ok());
    }
}
