using Zongliang.Domain.Access;
using Xunit;

namespace Zongliang.Domain.Tests.Access;

public class AccessScopeTests
{
    [Fact]
    public void ARegionScopeCoversItsRegionAndBelowOnly()
    {
        var city = AccessScope.Region("/950000/950100/", "city");
        Assert.True(city.CoversRegion("/950000/950100/"));
        Assert.True(city.CoversRegion("/950000/950100/950121/"));
        Assert.False(city.CoversRegion("/950000/950200/950221/"));
        Assert.False(city.CoversRegion("/950000/"));
    }

    [Fact]
    public void NobodyCoversNothingAndSystemCoversEverything()
    {
        Assert.False(AccessScope.Nobody.CoversRegion("/950000/950100/"));
        Assert.True(AccessScope.System().CoversRegion("/any/"));
    }

    [Fact]
    public void AnEnterpriseScopeCoversNoRegion()
    {
        var scope = AccessScope.SingleEnterprise(7, "qiye1");
        Assert.False(scope.CoversRegion("/950000/950100/950121/"));
        Assert.Equal(7, scope.EnterpriseId);
    }
}
