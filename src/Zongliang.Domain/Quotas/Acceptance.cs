using Zongliang.Domain.Common;

namespace Zongliang.Domain.Quotas;

/// <summary>One pollutant of an acceptance check: verified against actual (annualised from the valid monitored days).</summary>
public sealed class AcceptanceLine
{
    private AcceptanceLine() { }

    internal AcceptanceLine(string pollutant, decimal verified, decimal? actual, int validDays, decimal monitoredTonnes)
    {
        Pollutant = pollutant;
        Verified = verified;
        Actual = actual;
        ValidDays = validDays;
        MonitoredTonnes = monitoredTonnes;
    }

    public int Id { get; private set; }
    public int AcceptanceId { get; private set; }
    public string Pollutant { get; private set; } = "";
    /// <summary>Verified total, t/a.</summary>
    public decimal Verified { get; private set; }
    /// <summary>Actual emission annualised, t/a; null without valid data.</summary>
    public decimal? Actual { get; private set; }
    public int ValidDays { get; private set; }
    /// <summary>Mass measured on the valid days, t.</summary>
    public decimal MonitoredTonnes { get; private set; }

    public bool Passed => Actual is { } a && a <= Verified;
}

/// <summary>
/// Completion acceptance of a verified project (竣工环保验收, Q5): the project's actual emissions from
/// its outlets' monitoring data over a chosen period, annualised from the valid days, against the
/// verified totals. A project over its verified total, or without valid data, does not pass.
/// </summary>
public sealed class AcceptanceCheck
{
    public const string Method = "实际排放量 = 监测期内有效日排放量之和 ÷ 有效日数 × 365（在线监测日数据，含按规则补遗的小时）";

    private readonly List<AcceptanceLine> _lines = [];

    private AcceptanceCheck() { }

    public int Id { get; private set; }
    public int ApplicationId { get; private set; }
    public int EnterpriseId { get; private set; }
    public DateOnly From { get; private set; }
    public DateOnly To { get; private set; }
    public string CheckedBy { get; private set; } = "";
    public DateTime CheckedAtUtc { get; private set; }
    public IReadOnlyList<AcceptanceLine> Lines => _lines;

    public bool Passed => _lines.Count > 0 && _lines.All(l => l.Passed);

    /// <summary>The annual emission from the mass of the valid days (<see cref="Method"/>); null without a valid day.</summary>
    public static decimal? Annualise(decimal tonnes, int validDays) => validDays > 0 ? Math.Round(tonnes / validDays * 365, 3) : null;

    /// <summary>
    /// Checks an issued application: per verified pollutant, the monitored tonnes and the number of
    /// valid days in the period (what the platform's day aggregates hold for the enterprise's outlets).
    /// </summary>
    public static (AcceptanceCheck? Check, Outcome Outcome) Run(VerificationApplication application, int enterpriseId, DateOnly from, DateOnly to,
        IReadOnlyDictionary<string, (decimal Tonnes, int ValidDays)> monitored, string by, DateTime nowUtc, DateOnly today)
    {
        if (application.State != ApplicationState.Issued)
            return (null, Outcome.Refuse("只有已出具核定文件的项目可以验收核查"));
        if (to < from)
            return (null, Outcome.Refuse("结束日期不能早于开始日期", "To"));
        if (to > today)
            return (null, Outcome.Refuse("结束日期不能晚于今天", "To"));
        var check = new AcceptanceCheck { ApplicationId = application.Id, EnterpriseId = enterpriseId, From = from, To = to, CheckedBy = by, CheckedAtUtc = nowUtc };
        foreach (var amount in application.Amounts)
        {
            var (tonnes, days) = monitored.GetValueOrDefault(amount.Pollutant);
            check._lines.Add(new AcceptanceLine(amount.Pollutant, amount.Tonnes, Annualise(tonnes, days), days, Math.Round(tonnes, 3)));
        }
        return (check, Outcome.Ok());
    }
}
