using Zongliang.Domain.Common;
using Zongliang.Domain.Monitoring.Validity;

namespace Zongliang.Domain.Monitoring;

public enum NoticeState
{
    /// <summary>待审核.</summary>
    Filed = 0,
    /// <summary>已认可: the period counts as the notice says.</summary>
    Accepted = 1,
    /// <summary>不予认可.</summary>
    Refused = 2,
}

/// <summary>
/// A notice an enterprise files for an outlet (停产/检修报备): a planned stop, or maintenance of the
/// monitoring equipment. An auditor of the region accepts or refuses it. Accepted, a planned stop
/// makes the hours without valid data "not producing" (no emission, no substitution); both kinds take
/// their hours out of the operation assessment, since the gap is not the operator's fault.
/// </summary>
public sealed class OperationNotice
{
    public const int MaxDays = 92;

    private OperationNotice() { }

    public long Id { get; private set; }
    public int OutletId { get; private set; }
    public NoticeKind Kind { get; private set; }
    public DateTime FromUtc { get; private set; }
    public DateTime ToUtc { get; private set; }
    public string Reason { get; private set; } = "";
    public string FiledBy { get; private set; } = "";
    public DateTime FiledAtUtc { get; private set; }
    public NoticeState State { get; private set; }
    public string DecidedBy { get; private set; } = "";
    public DateTime? DecidedAtUtc { get; private set; }
    public string DecisionReason { get; private set; } = "";

    public NoticeSpan ToSpan() => new(FromUtc, ToUtc, Kind);

    public static (OperationNotice? Notice, Outcome Outcome) File(int outletId, NoticeKind kind, DateTime fromUtc, DateTime toUtc, string? reason, string filedBy, DateTime nowUtc)
    {
        reason = reason?.Trim() ?? "";
        var ranges = PlausibleRanges.Current;
        var today = DateOnly.FromDateTime(nowUtc);
        if (!ranges.IsPlausibleInstant(fromUtc, nowUtc))
            return (null, Outcome.Refuse(ranges.DateMessage(today), "From"));
        if (!ranges.IsPlausibleInstant(toUtc, nowUtc))
            return (null, Outcome.Refuse(ranges.DateMessage(today), "To"));
        if (toUtc <= fromUtc)
            return (null, Outcome.Refuse("结束时间应晚于开始时间", "To"));
        if ((toUtc - fromUtc).TotalDays > MaxDays)
            return (null, Outcome.Refuse($"一次报备不超过{MaxDays}天", "To"));
        if (reason.Length < 2)
            return (null, Outcome.Refuse("请写明停产或检修的原因", "Reason"));
        if (reason.Length > 500)
            return (null, Outcome.Refuse("原因不能超过500字", "Reason"));
        return (new OperationNotice
        {
            OutletId = outletId, Kind = kind, FromUtc = DateTime.SpecifyKind(fromUtc, DateTimeKind.Utc), ToUtc = DateTime.SpecifyKind(toUtc, DateTimeKind.Utc),
            Reason = reason, FiledBy = filedBy, FiledAtUtc = nowUtc,
        }, Outcome.Ok());
    }

    /// <summary>Accepts or refuses a filed notice; a refusal needs a reason. Decided notices stay as decided.</summary>
    public Outcome Decide(bool accept, string? reason, string by, DateTime nowUtc)
    {
        if (State != NoticeState.Filed)
            return Outcome.Refuse("该报备已审核");
        reason = reason?.Trim() ?? "";
        if (!accept && reason.Length < 2)
            return Outcome.Refuse("不予认可须写明理由", "DecisionReason");
        State = accept ? NoticeState.Accepted : NoticeState.Refused;
        DecidedBy = by;
        DecidedAtUtc = nowUtc;
        DecisionReason = reason;
        return Outcome.Ok();
    }

    public static string KindLabel(NoticeKind k) => k == NoticeKind.PlannedStop ? "计划停产" : "设备检修维护";

    public static string StateLabel(NoticeState s) => s switch
    {
        NoticeState.Accepted => "已认可",
        NoticeState.Refused => "不予认可",
        _ => "待审核",
    };
}
