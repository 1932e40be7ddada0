using Xunit;
using Zongliang.Domain.Monitoring;

namespace Zongliang.Domain.Tests.Monitoring;

public class DataTimeWindowTests
{
    private static readonly DateTime Now = new(2026, 12, 6, 2, 0, 0, DateTimeKind.Utc); // 10:00 Beijing time
    private static readonly DateTime Registered = new(2025, 3, 1, 1, 0, 0, DateTimeKind.Utc);
    private static readonly DataTimeWindow Window = DataTimeWindow.Default;

    [Fact]
    public void ALoggerWhoseClockBatteryWasResetIsAClockFaultNotData()
    {
        Assert.Equal(DataTimeVerdict.BeforeRegistration, Window.Judge(new DateTime(2000, 1, 1), Now, Registered));
        Assert.Equal(DataTimeVerdict.BeforeRegistration, Window.Judge(DateTime.MinValue, Now, Registered));
    }

    [Fact]
    public void TheWindowRunsFromTheMaximumAgeToADayAheadInBeijingTime()
    {
        var beijingNow = new DateTime(2026, 12, 6, 10, 0, 0);
        Assert.Equal(DataTimeVerdict.Plausible, Window.Judge(beijingNow, Now, Registered));
        Assert.Equal(DataTimeVerdict.Plausible, Window.Judge(beijingNow.AddDays(1), Now, Registered));
        Assert.Equal(DataTimeVerdict.Future, Window.Judge(beijingNow.AddDays(1).AddSeconds(1), Now, Registered));
        Assert.Equal(DataTimeVerdict.Future, Window.Judge(DateTime.MaxValue, Now, Registered));
        Assert.Equal(DataTimeVerdict.Plausible, Window.Judge(beijingNow.AddDays(-90), Now, Registered));
        Assert.Equal(DataTimeVerdict.TooOld, Window.Judge(beijingNow.AddDays(-90).AddSeconds(-1), Now, Registered));
    }

    [Fact]
    public void DataFromBeforeTheDeviceWasRegisteredIsNotItsData()
    {
        var registered = Now.AddDays(-10);
        // 8 h after the registration instant in UTC is the same instant in Beijing time.
        Assert.Equal(DataTimeVerdict.Plausible, Window.Judge(registered.AddHours(8), Now, registered));
        Assert.Equal(DataTimeVerdict.BeforeRegistration, Window.Judge(registered.AddHours(8).AddMinutes(-1), Now, registered));
    }

    [Fact]
    public void APacketWithoutADataTimeIsMissingIt() =>
        Assert.Equal(DataTimeVerdict.Missing, Window.Judge(null, Now, Registered));

    [Fact]
    public void ARunOfClockFaultsEndsAfterAnHourWithoutOne()
    {
        var fault = DeviceClockFault.Start(7, Now, "2000-01-01 00:00:00", DataTimeVerdict.BeforeRegistration, 3);
        fault.Add(Now.AddMinutes(30), "2000-01-01 00:30:00", DataTimeVerdict.BeforeRegistration, 2);
        Assert.Equal((Now, 5L), (fault.FirstAtUtc, fault.Packets));
        Assert.True(fault.IsCurrent(Now.AddMinutes(90)));
        Assert.False(fault.IsCurrent(Now.AddMinutes(91)));

        fault.Add(Now.AddHours(3), "2000-01-01 03:00:00", DataTimeVerdict.BeforeRegistration, 1);
        Assert.Equal((Now.AddHours(3), 1L), (fault.FirstAtUtc, fault.Packets));
    }
}
