using Xunit;
using Zongliang.Domain.Common;

namespace Zongliang.Domain.Tests.Common;

public class PlausibleRangesTests
{
    private static readonly PlausibleRanges Shipped = PlausibleRanges.Load();
    private static readonly DateOnly Today = new(2026, 12, 6);

    [Fact]
    public void TheShippedRangesAreCitedAsPlatformDefaults()
    {
        Assert.All(new[] { Shipped.ProjectTonnes, Shipped.RegionTonnes, Shipped.LabValue, Shipped.Limit }, r => Assert.True(r.IsDefault && r.Source.Length > 0));
        Assert.Equal(new DateOnly(2000, 1, 1), Shipped.EarliestDate);
        Assert.Equal(new DateOnly(2036, 12, 31), Shipped.LatestDate(Today));
    }

    [Theory]
    [InlineData("0001-01-01", false)]
    [InlineData("1999-12-31", false)]
    [InlineData("2000-01-01", true)]
    [InlineData("2036-12-31", true)]
    [InlineData("2037-01-01", false)]
    [InlineData("9999-12-31", false)]
    public void DatesRunFromTheEarliestYearToTenYearsAhead(string date, bool plausible) =>
        Assert.Equal(plausible, Shipped.IsPlausibleDate(DateOnly.Parse(date), Today));

    [Fact]
    public void NonFiniteAndHugeValuesAreOutOfEveryRange()
    {
        Assert.False(Shipped.LabValue.Contains(double.PositiveInfinity));
        Assert.False(Shipped.LabValue.Contains(double.NaN));
        Assert.False(Shipped.CheckProjectTonnes(100_000.001m, "Amount").Succeeded);
        Assert.True(Shipped.CheckProjectTonnes(100_000m, "Amount").Succeeded);
        Assert.Equal("Amount", Shipped.CheckProjectTonnes(1e20m, "Amount").Field);
    }

    [Fact]
    public void AnEmptyFileIsRefusedNotReportedAsUploaded()
    {
        var (_, _, outcome) = Upload.Check("evidence.pdf", []);
        Assert.Equal((false, "文件为空，请重新选择"), (outcome.Succeeded, outcome.Error));
    }
}
