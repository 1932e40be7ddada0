namespace Zongliang.Domain.Monitoring.Validity;

/// <summary>
/// Operation assessment of a device or a county over a month (运行考核): transmission rate
/// (传输率 = received / expected), validity rate (有效率 = valid / received) and effective
/// transmission rate (有效传输率 = their product = valid / expected). Points of hours the source
/// stopped (F), and hours an accepted notice covers, are neither expected nor received.
/// </summary>
public readonly record struct OperationRates(long Expected, long Received, long Valid)
{
    public double? Transmission => Expected > 0 ? Math.Min(1, (double)Received / Expected) : null;

    public double? Validity => Received > 0 ? Math.Min(1, (double)Valid / Received) : null;

    public double? EffectiveTransmission => Transmission * Validity;

    public static OperationRates operator +(OperationRates a, OperationRates b) =>
        new(a.Expected + b.Expected, a.Received + b.Received, a.Valid + b.Valid);

    /// <summary>The rates of one factor's hours: stopped hours left out; received counts the producing points.</summary>
    public static OperationRates Of(IEnumerable<HourValue> hours)
    {
        long expected = 0, received = 0, valid = 0;
        foreach (var h in hours)
        {
            if (h.Status == PeriodStatus.Stopped || h.Notice != NoticeKind.None)
                continue;
            expected += h.Expected;
            received += Math.Min(h.Received - h.StoppedCount, h.Expected);
            valid += Math.Min(h.ValidCount, h.Expected);
        }
        return new OperationRates(expected, received, valid);
    }
}
