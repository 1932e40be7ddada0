using Zongliang.Domain.Registry;
using Xunit;

namespace Zongliang.Domain.Tests.Registry;

public class DeviceTests
{
    // 2026-03-10 20:00 UTC is 2026-03-11 04:00 in Beijing.
    private static readonly DateTime Now = new(2026, 3, 10, 20, 0, 0, DateTimeKind.Utc);

    private static Device NewDevice()
    {
        var province = new Region("950000", "河洛省", RegionKind.Province, null);
        var county = new Region("950121", "北山县", RegionKind.County, province);
        var enterprise = new Enterprise("测试纸业有限公司", Enterprise.WithCheckCharacter("91950121MA0000001"), county);
        var outlet = enterprise.AddOutlet("DW001", "废水总排口", Medium.Water);
        return new Device(outlet, "010000A8900016F000169DC0", "123456", Registered);
    }

    private static readonly DateTime Registered = new(2025, 12, 1, 1, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void RefusesAMilestoneBeforeTheDeviceWasRegistered()
    {
        // Issue: "a device milestone before its registration" answered with a 500; it is a message on the date.
        var d = NewDevice();
        var outcome = d.Advance(DeviceState.Installed, new DateOnly(2025, 11, 30), "刘伟", Now);
        Assert.Equal((false, "Date", "日期不能早于设备登记日期（2025-12-01）"), (outcome.Succeeded, outcome.Field, outcome.Error));
        Assert.True(d.Advance(DeviceState.Installed, new DateOnly(2025, 12, 1), "刘伟", Now).Succeeded);
    }

    [Fact]
    public void GoesThroughInstallAcceptNetworkInOrder()
    {
        var d = NewDevice();
        Assert.True(d.Advance(DeviceState.Installed, new DateOnly(2026, 1, 5), "刘伟", Now).Succeeded);
        Assert.True(d.Advance(DeviceState.Accepted, new DateOnly(2026, 2, 1), "周敏", Now).Succeeded);
        Assert.True(d.Advance(DeviceState.Networked, new DateOnly(2026, 2, 1), "孙磊", Now).Succeeded);
        Assert.Equal(DeviceState.Networked, d.State);
        Assert.Equal(new DateOnly(2026, 1, 5), d.InstalledOn);
        Assert.Equal("周敏", d.AcceptedBy);
        Assert.Null(d.NextState);
    }

    [Theory]
    [InlineData(DeviceState.Accepted)]
    [InlineData(DeviceState.Networked)]
    [InlineData(DeviceState.Registered)]
    public void RefusesAMilestoneThatIsNotTheNextOne(DeviceState milestone)
    {
        var d = NewDevice();
        var outcome = d.Advance(milestone, new DateOnly(2026, 1, 5), "刘伟", Now);
        Assert.False(outcome.Succeeded);
        Assert.Contains("安装", outcome.Error);
        Assert.Equal(DeviceState.Registered, d.State);
    }

    [Fact]
    public void RefusesAnyMoveOnceNetworked()
    {
        var d = NewDevice();
        foreach (var s in new[] { DeviceState.Installed, DeviceState.Accepted, DeviceState.Networked })
            d.Advance(s, new DateOnly(2026, 1, 5), "刘伟", Now);
        var outcome = d.Advance(DeviceState.Networked, new DateOnly(2026, 1, 6), "刘伟", Now);
        Assert.False(outcome.Succeeded);
        Assert.Equal("设备已联网，生命周期已完成", outcome.Error);
    }

    [Fact]
    public void AcceptsTodayInBeijingTimeButNotTomorrow()
    {
        var d = NewDevice();
        // Beijing is already on 2026-03-11 while UTC is still on the 10th.
        Assert.False(d.Advance(DeviceState.Installed, new DateOnly(2026, 3, 12), "刘伟", Now).Succeeded);
        var outcome = d.Advance(DeviceState.Installed, new DateOnly(2026, 3, 11), "刘伟", Now);
        Assert.True(outcome.Succeeded, outcome.Error);
    }

    [Fact]
    public void RefusesADateBeforeThePreviousMilestone()
    {
        var d = NewDevice();
        d.Advance(DeviceState.Installed, new DateOnly(2026, 2, 1), "刘伟", Now);
        var outcome = d.Advance(DeviceState.Accepted, new DateOnly(2026, 1, 31), "周敏", Now);
        Assert.False(outcome.Succeeded);
        Assert.Equal("Date", outcome.Field);
        Assert.Null(d.AcceptedOn);
    }

    [Fact]
    public void RefusesAMilestoneWithoutWhoDidIt()
    {
        var outcome = NewDevice().Advance(DeviceState.Installed, new DateOnly(2026, 2, 1), "  ", Now);
        Assert.False(outcome.Succeeded);
        Assert.Equal("By", outcome.Field);
    }

    [Theory]
    [InlineData("010000A8900016F000169DC0", true)]
    [InlineData("95012100000003", true)]
    [InlineData("", false)]
    [InlineData("010000A8900016F000169DC0X", false)]
    [InlineData("0100-00A89", false)]
    public void ValidatesMn(string mn, bool valid) => Assert.Equal(valid, Device.IsValidMn(mn));
}
