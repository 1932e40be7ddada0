namespace Zongliang.Domain.Monitoring.Validity;

/// <summary>One minute value of a factor as the logger sent it (Avg of a CN 2051 packet) with its data flag.</summary>
public readonly record struct MinuteValue(DateTime TimeUtc, double Value, char Flag);

/// <summary>The minute values of one factor at one outlet, sorted by time. Values outside the evaluated range are context for the suspect checks.</summary>
public sealed record FactorSeries(string FactorCode, MinuteValue[] Points);

/// <summary>Why data are suspect (可疑): the automatic checks mark, an auditor decides.</summary>
[Flags]
public enum SuspectReason : ushort
{
    None = 0,
    /// <summary>The same value repeated for the profile's minutes or longer while producing (恒值).</summary>
    Repeated = 1,
    /// <summary>A negative concentration (负值).</summary>
    Negative = 2,
    /// <summary>Above the analyser's range (超量程).</summary>
    OverRange = 4,
    /// <summary>Zero flow while the concentration changes (零流量浓度变化).</summary>
    ZeroFlow = 8,
    /// <summary>A jump larger than the profile's factor between consecutive values (突变).</summary>
    Jump = 16,
    /// <summary>Fewer points than expected in the period (缺数).</summary>
    Gap = 32,
    /// <summary>Since the last passed comparison test, before a failed one (比对不合格).</summary>
    ComparisonFailed = 64,
}

/// <summary>What an accepted notice says about a span of time (停产/检修报备).</summary>
public enum NoticeKind : byte
{
    None = 0,
    /// <summary>计划停产: hours without valid data count as not producing.</summary>
    PlannedStop = 1,
    /// <summary>设备检修维护: the data stay as they are; the hours leave the operation assessment.</summary>
    Maintenance = 2,
}

/// <summary>The span of an accepted notice, for every factor of the outlet.</summary>
public readonly record struct NoticeSpan(DateTime FromUtc, DateTime ToUtc, NoticeKind Kind);

/// <summary>A span of a factor's data made suspect from outside the data, e.g. by a failed comparison test.</summary>
public readonly record struct SuspectSpan(string FactorCode, DateTime FromUtc, DateTime ToUtc, SuspectReason Reason);

public enum PeriodStatus : byte
{
    /// <summary>无效: too few valid values, or judged invalid by an auditor.</summary>
    Invalid = 0,
    /// <summary>有效.</summary>
    Valid = 1,
    /// <summary>停运: the source did not produce in the whole period (flag F); no expected values, no emission.</summary>
    Stopped = 2,
}

/// <summary>Whether the hour's mass was measured, substituted, or could not be had.</summary>
public enum MassSource : byte
{
    /// <summary>No mass: not a pollutant, no flow meter, or nothing to substitute from.</summary>
    None = 0,
    Measured = 1,
    /// <summary>补遗: an invalid or missing hour given a value by the substitution rule.</summary>
    Substituted = 2,
    /// <summary>Not producing: zero emission.</summary>
    Stopped = 3,
}

/// <summary>The evaluated hour of one factor at one outlet (小时数据).</summary>
public struct HourValue
{
    public DateTime HourUtc;
    /// <summary>Mean of the valid minute values (flow-weighted for water when the flow is known); null when there is none.</summary>
    public double? Mean;
    public double? Min;
    public double? Max;
    /// <summary>O2-corrected (折算) mean for comparison with limits, when the outlet has a reference O2 and the O2 hour is valid.</summary>
    public double? Corrected;
    /// <summary>Points received, F points included.</summary>
    public int Received;
    /// <summary>F points: the source was not producing.</summary>
    public int StoppedCount;
    /// <summary>Points the hour should have had while producing (60 / interval, less the F points).</summary>
    public int Expected;
    public int ValidCount;
    /// <summary>S (manual) points: invalid until an auditor approves the hour.</summary>
    public int ManualCount;
    public PeriodStatus Status;
    public SuspectReason Suspect;
    /// <summary>The status comes from an auditor's decision, not the rule.</summary>
    public bool Audited;
    /// <summary>An accepted notice covers the hour.</summary>
    public NoticeKind Notice;
    /// <summary>Discharged mass in kg (HJ 212-2017 Appendix D), measured or substituted.</summary>
    public double? MassKg;
    public MassSource Mass;
    /// <summary>Flow volume of the hour in m³ (flow factor only; used for weighting and mass).</summary>
    public double? VolumeM3;
}

/// <summary>The evaluated (Beijing) day of one factor at one outlet (日数据).</summary>
public struct DayValue
{
    public DateOnly Day;
    public double? Mean;
    public double? Min;
    public double? Max;
    public int Hours;
    public int ValidHours;
    public int StoppedHours;
    public int ValidPoints;
    public int ExpectedPoints;
    public PeriodStatus Status;
    public SuspectReason Suspect;
    public bool Audited;
    public double MassKg;
    public int SubstitutedHours;
    /// <summary>Hours of a pollutant whose mass is unknown (no flow, nothing to substitute from).</summary>
    public int UnknownMassHours;
    public double? VolumeM3;
}

/// <summary>A month, quarter or year rolled up from days (月、季、年).</summary>
public readonly record struct PeriodValue(DateOnly From, DateOnly To, double? Mean, double? Min, double? Max, int Days, int ValidDays, double MassKg, int SubstitutedHours, int UnknownMassHours);

public enum AuditSpan : byte
{
    Hour = 1,
    Day = 2,
}

/// <summary>
/// An auditor's decision on a period (数据有效性审核): valid or invalid, for one factor or for every
/// factor of the outlet (empty code). Later decisions override earlier ones; nothing is deleted.
/// </summary>
public readonly record struct AuditOverride(string FactorCode, DateTime StartUtc, AuditSpan Span, bool Valid);
