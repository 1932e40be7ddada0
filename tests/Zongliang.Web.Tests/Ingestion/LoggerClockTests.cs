using Xunit;
using Zongliang.Hj212;
using Zongliang.Web.Features.Ingestion;

namespace Zongliang.Web.Tests.Ingestion;

public sealed class LoggerClockTests
{
    private static byte[] Upload(string cp) => Hj212Writer.Frame(Hj212Writer.Segment("20261101085857001", "32", "1011", "123456", "88888880000001", 4, cp));

    [Fact]
    public void TheOffsetIsTheLoggersBeijingTimeLessThePlatformsAtReceipt()
    {
        var received = new DateTime(2026, 11, 1, 0, 58, 57, DateTimeKind.Utc); // 08:58:57 in Beijing
        Assert.Equal(TimeSpan.FromSeconds(75), LoggerClock.Offset(Upload("PolId=w01018;SystemTime=20261101090012"), received));
        Assert.Equal(TimeSpan.FromHours(-8), LoggerClock.Offset(Upload("SystemTime=20261101005857"), received)); // a logger on UTC
        Assert.Null(LoggerClock.Offset(Upload("PolId=w01018"), received));
        Assert.Null(LoggerClock.Offset(Upload("SystemTime=2026110109"), received));
        Assert.Equal(TimeSpan.Zero, LoggerClock.Offset(Upload("SystemTime=20261101085857"), received));
    }

    [Theory]
    [InlineData(0.4, "与平台一致")]
    [InlineData(-3, "比平台慢 3 秒")]
    [InlineData(605, "比平台快 10 分 5 秒")]
    [InlineData(-7380, "比平台慢 2 小时 3 分")]
    [InlineData(93600, "比平台快 1 天 2 小时")]
    public void AnOffsetIsToldInWords(double seconds, string words) =>
        Assert.Equal(words, LoggerClock.Describe(TimeSpan.FromSeconds(seconds)));
}
