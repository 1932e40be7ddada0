using System.Globalization;
using Zongliang.Domain.Monitoring.Validity;

namespace Zongliang.Web.Features.Monitoring;

/// <summary>The zh-CN words of validity, suspect reasons and mass sources, one place for pages and reports.</summary>
public static class Labels
{
    public static string Status(PeriodStatus s) => s switch
    {
        PeriodStatus.Valid => "有效",
        PeriodStatus.Stopped => "停运",
        _ => "无效",
    };

    public static string Mass(MassSource m) => m switch
    {
        MassSource.Measured => "实测",
        MassSource.Substituted => "补遗",
        MassSource.Stopped => "停运",
        _ => "—",
    };

    public static string Suspect(SuspectReason r)
    {
        if (r == SuspectReason.None) return "";
        var words = new List<string>();
        if (r.HasFlag(SuspectReason.Repeated)) words.Add("恒值");
        if (r.HasFlag(SuspectReason.Negative)) words.Add("负值");
        if (r.HasFlag(SuspectReason.OverRange)) words.Add("超量程");
        if (r.HasFlag(SuspectReason.ZeroFlow)) words.Add("零流量浓度变化");
        if (r.HasFlag(SuspectReason.Jump)) words.Add("突变");
        if (r.HasFlag(SuspectReason.Gap)) words.Add("缺数");
        if (r.HasFlag(SuspectReason.ComparisonFailed)) words.Add("比对不合格");
        return string.Join("、", words);
    }

    public static string Number(double? v, int digits = 3) => v is { } x ? Math.Round(x, digits).ToString("0.###", CultureInfo.InvariantCulture) : "—";
}
