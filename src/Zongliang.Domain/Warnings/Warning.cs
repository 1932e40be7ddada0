namespace Zongliang.Domain.Warnings;

public enum WarningKind
{
    /// <summary>超标: a concentration at or over the pre-warning share of its limit.</summary>
    Exceedance = 1,
    /// <summary>年度总量: an enterprise's or a region's cumulative mass against its total.</summary>
    AnnualTotal = 2,
    /// <summary>设备离线.</summary>
    DeviceOffline = 3,
    /// <summary>无有效数据.</summary>
    NoData = 4,
    /// <summary>比对监测逾期.</summary>
    ComparisonOverdue = 5,
    /// <summary>疑似弄虚作假.</summary>
    Suspicion = 6,
    /// <summary>设备时钟异常: data packets with impossible DataTimes (a reset clock), kept out of the readings.</summary>
    ClockFault = 7,
}

/// <summary>Three levels, as the colours the bureau uses: yellow, orange, red.</summary>
public enum WarningLevel
{
    Yellow = 1,
    Orange = 2,
    Red = 3,
}

/// <summary>
/// A warning raised from data (预警). One per subject and episode: the key is the kind, the subject
/// (outlet and factor, enterprise and pollutant, device, region) and the start of the episode; a
/// later evaluation of the same episode updates it (level up or down, last time, peak), and the
/// warning closes when the data return to normal.
/// </summary>
public sealed class Warning
{
    private Warning() { }

    public long Id { get; private set; }
    public WarningKind Kind { get; private set; }
    public WarningLevel Level { get; private set; }
    /// <summary>The highest level the episode reached (the dashboard counts by it).</summary>
    public WarningLevel PeakLevel { get; private set; }
    public int RegionId { get; private set; }
    public int? EnterpriseId { get; private set; }
    public int? OutletId { get; private set; }
    /// <summary>Factor code (exceedance, suspicion), pollutant code (annual total), device MN (device warnings) or "".</summary>
    public string Subject { get; private set; } = "";
    /// <summary>A short name of the rule or detector (e.g. "flat-below-limit"); "" for the kind's main rule.</summary>
    public string Rule { get; private set; } = "";
    public DateTime StartUtc { get; private set; }
    public DateTime LastUtc { get; private set; }
    public DateTime RaisedAtUtc { get; private set; }
    public DateTime? ClosedAtUtc { get; private set; }
    public string ClosedReason { get; private set; } = "";
    public double? Value { get; private set; }
    public double? Limit { get; private set; }
    /// <summary>0–100 for suspicions; 0 otherwise.</summary>
    public int Score { get; private set; }
    public string Message { get; private set; } = "";
    public string Evidence { get; private set; } = "";
    public long? CaseId { get; private set; }

    public bool IsOpen => ClosedAtUtc is null;

    public static Warning Raise(WarningKind kind, WarningLevel level, int regionId, int? enterpriseId, int? outletId, string subject, string rule,
        DateTime startUtc, DateTime lastUtc, double? value, double? limit, int score, string message, string evidence, DateTime nowUtc) => new()
    {
        Kind = kind, Level = level, PeakLevel = level, RegionId = regionId, EnterpriseId = enterpriseId, OutletId = outletId,
        Subject = subject, Rule = rule, StartUtc = startUtc, LastUtc = lastUtc, RaisedAtUtc = nowUtc, Value = value, Limit = limit,
        Score = score, Message = Cut(message, 300), Evidence = Cut(evidence, 2000),
    };

    /// <summary>A later evaluation of the same episode. Returns whether the level went up (the parties are told again).</summary>
    public bool Update(WarningLevel level, DateTime lastUtc, double? value, int score, string message, string evidence)
    {
        var up = level > PeakLevel;
        Level = level;
        if (up) PeakLevel = level;
        LastUtc = lastUtc;
        Value = value;
        Score = score;
        Message = Cut(message, 300);
        Evidence = Cut(evidence, 2000);
        ClosedAtUtc = null;
        ClosedReason = "";
        return up;
    }

    public void Close(string reason, DateTime nowUtc)
    {
        if (ClosedAtUtc is not null) return;
        ClosedAtUtc = nowUtc;
        ClosedReason = Cut(reason, 200);
    }

    public void LinkTo(long caseId) => CaseId = caseId;

    private static string Cut(string s, int max) => s.Length <= max ? s : s[..max];

    public static string KindLabel(WarningKind kind) => kind switch
    {
        WarningKind.Exceedance => "超标预警",
        WarningKind.AnnualTotal => "年度总量预警",
        WarningKind.DeviceOffline => "设备离线",
        WarningKind.NoData => "无有效数据",
        WarningKind.ComparisonOverdue => "比对监测逾期",
        WarningKind.Suspicion => "疑似弄虚作假",
        WarningKind.ClockFault => "设备时钟异常",
        _ => kind.ToString(),
    };

    public static string LevelLabel(WarningLevel level) => level switch
    {
        WarningLevel.Yellow => "黄色",
        WarningLevel.Orange => "橙色",
        WarningLevel.Red => "红色",
        _ => level.ToString(),
    };
}
