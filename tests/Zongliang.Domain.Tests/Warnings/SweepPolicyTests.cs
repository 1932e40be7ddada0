using Xunit;
using Zongliang.Domain.Monitoring;
using Zongliang.Domain.Warnings;

namespace Zongliang.Domain.Tests.Warnings;

/// <summary>The minute sweep's warnings as a function of the devices, outlets and tasks it is shown, the open warnings, the rules and the time.</summary>
public class SweepPolicyTests
{
    private static readonly WarningRules Rules = WarningRules.Load();
    private static readonly DateTime Now = new(2026, 11, 26, 6, 30, 0, DateTimeKind.Utc);

    private static SweptDevice Device(int id, DateTime? lastSeen) =>
        new(id, $"MN{id:D4}", 100 + id, 10, 1, "示范化工厂", new DateOnly(2026, 11, 1), lastSeen);

    private static SweepFacts Facts(params SweptDevice[] devices) => new(devices, [], new Dictionary<int, SweptOutletHours>(), []);

    [Fact]
    public void ADeviceSilentForLongerThanTheOfflineTimeIsOfflineAndItsAlarmIsSentOnce()
    {
        // Rules: "联网设备60分钟无通信为离线".
        var existing = new List<Warning>();
        var lastSeen = Now.AddMinutes(-61);
        var outcome = SweepPolicy.Sweep(Facts(Device(1, lastSeen), Device(2, Now.AddMinutes(-59))), existing, Rules, Now);

        var w = Assert.Single(outcome.Added);
        Assert.Equal((WarningKind.DeviceOffline, "MN0001", WarningLevel.Yellow, lastSeen), (w.Kind, w.Subject, w.Level, w.StartUtc));
        Assert.Equal("示范化工厂 设备 MN0001 离线，最后通信 2026-11-26 13:29", w.Message);
        Assert.Equal([w], outcome.FellSilent);

        // The next sweep keeps the same warning and sends nothing again; a day on, it is orange.
        var later = SweepPolicy.Sweep(Facts(Device(1, lastSeen)), existing, Rules, Now.AddDays(1).AddMinutes(1));
        Assert.Empty(later.Added);
        Assert.Empty(later.FellSilent);
        Assert.Equal(WarningLevel.Orange, w.Level);
    }

    [Fact]
    public void ADeviceNeverHeardFromIsOfflineSinceItWasNetworkedWithoutAnAlarm()
    {
        var outcome = SweepPolicy.Sweep(Facts(Device(3, null)), [], Rules, Now);

        var w = Assert.Single(outcome.Added);
        Assert.Equal("示范化工厂 设备 MN0003 离线，联网后从未上报", w.Message);
        Assert.Equal(new DateTime(2026, 10, 31, 16, 0, 0, DateTimeKind.Utc), w.StartUtc); // 2026-11-01 00:00 Beijing time
        Assert.Empty(outcome.FellSilent);
    }

    [Fact]
    public void AnOfflineWarningClosesWhenTheDeviceIsHeardAgain()
    {
        var existing = new List<Warning>();
        SweepPolicy.Sweep(Facts(Device(1, Now.AddHours(-2))), existing, Rules, Now);
        SweepPolicy.Sweep(Facts(Device(1, Now.AddMinutes(3))), existing, Rules, Now.AddMinutes(5));

        Assert.Equal("设备恢复通信", Assert.Single(existing).ClosedReason);
    }

    [Fact]
    public void AnOutletWithoutAValidHourForSixHoursHasANoDataWarning()
    {
        // Rules: "连续6小时无有效小时数据".
        var device = Device(4, Now);
        SweepFacts Hours(DateTime lastValid) => new([device], [], new Dictionary<int, SweptOutletHours> { [device.OutletId] = new(Now.AddDays(-3), Now.AddHours(-1), lastValid) }, []);

        Assert.Empty(SweepPolicy.Sweep(Hours(Now.AddHours(-6)), [], Rules, Now).Added);
        var w = Assert.Single(SweepPolicy.Sweep(Hours(Now.AddHours(-7)), [], Rules, Now).Added);
        Assert.Equal((WarningKind.NoData, Now.AddHours(-6)), (w.Kind, w.StartUtc));
    }

    [Fact]
    public void AComparisonPastItsDueDateIsOverdueByWholeDays()
    {
        var task = new SweptComparison(42, "2026年第4季度比对监测", new DateOnly(2026, 11, 20), 104, 10, 1, "示范化工厂", "DW001");
        var w = Assert.Single(SweepPolicy.Sweep(new SweepFacts([], [], new Dictionary<int, SweptOutletHours>(), [task]), [], Rules, Now).Added);

        Assert.Equal("示范化工厂 DW001 2026年第4季度比对监测 已逾期 6 天（应于 2026-11-20 前完成）", w.Message);
    }
}
