using CsCheck;
using Zongliang.Domain.Registry;
using Xunit;

namespace Zongliang.Domain.Tests.Registry;

public class DeviceProgressTests
{
    private static readonly (int, string, string)[] Counties = [(1, "北山县", "/95/9501/950121/"), (2, "南湖县", "/95/9501/950122/")];

    [Fact]
    public void CountsAMilestoneForEveryDeviceThatPassedIt()
    {
        var rows = DeviceProgress.ByCounty(Counties,
        [
            ("/95/9501/950121/", DeviceState.Networked),
            ("/95/9501/950121/", DeviceState.Accepted),
            ("/95/9501/950121/", DeviceState.Registered),
            ("/95/9501/950122/", DeviceState.Installed),
        ]);
        Assert.Equal(new DeviceProgressRow(1, "北山县", 3, 2, 2, 1), rows[0]);
        Assert.Equal(new DeviceProgressRow(2, "南湖县", 1, 1, 0, 0), rows[1]);
        Assert.Equal(0.3333m, rows[0].NetworkRate);
    }

    [Fact]
    public void ACountyWithoutDevicesHasRateZero()
    {
        var rows = DeviceProgress.ByCounty(Counties, []);
        Assert.All(rows, r => Assert.Equal(0m, r.NetworkRate));
    }

    [Fact]
    public void CountsOnlyDevicesOfTheCountysOwnPath()
    {
        // 950121 must not count devices of a county whose code merely starts the same way.
        var rows = DeviceProgress.ByCounty([(1, "北山县", "/95/9501/950121/")], [("/95/9501/9501210/", DeviceState.Networked)]);
        Assert.Equal(0, rows[0].Total);
    }

    [Fact]
    public void TotalRowIsTheSumOfCountiesAndMilestonesNeverIncrease()
    {
        var device = Gen.Select(Gen.Int[0, 1], Gen.Enum<DeviceState>(), (c, s) => (Counties[c].Item3, s));
        device.Array[0, 60].Sample(devices =>
        {
            var rows = DeviceProgress.ByCounty(Counties, devices);
            var total = DeviceProgress.Total(rows, "合计");
            Assert.Equal(devices.Length, total.Total);
            Assert.Equal(devices.Count(d => d.Item2 == DeviceState.Networked), total.Networked);
            Assert.All(rows, r => Assert.True(r.Total >= r.Installed && r.Installed >= r.Accepted && r.Accepted >= r.Networked));
        });
    }
}
