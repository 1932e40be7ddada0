using CsCheck;
using Zongliang.Domain.Registry;
using Xunit;

namespace Zongliang.Domain.Tests.Registry;

public class EnterpriseTests
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    [Fact]
    public void CompletedCreditCodesAreValidAndAnyChangedCharacterIsCaught()
    {
        Gen.Char[Alphabet].Array[17].Select(cs => new string(cs)).Sample(first17 =>
        {
            var code = Enterprise.WithCheckCharacter(first17);
            Assert.True(Enterprise.IsValidCreditCode(code));
            // A single changed character always changes the weighted sum modulo 31 (weights are not multiples of 31).
            var i = first17.Length / 2;
            var other = Alphabet[(Alphabet.IndexOf(code[i]) + 1) % 31];
            Assert.False(Enterprise.IsValidCreditCode(code[..i] + other + code[(i + 1)..]));
        });
    }

    [Theory]
    [InlineData("")]
    [InlineData("91950121MA000000")]
    [InlineData("91950121MA0000001I")]
    public void RejectsMalformedCreditCodes(string code) => Assert.False(Enterprise.IsValidCreditCode(code));

    [Fact]
    public void RefusesASecondOutletWithTheSameCode()
    {
        var county = new Region("950121", "北山县", RegionKind.County, null);
        var e = new Enterprise("测试化工有限公司", Enterprise.WithCheckCharacter("91950121MA0000002"), county);
        e.AddOutlet("DW001", "废水总排口", Medium.Water);
        Assert.Throws<InvalidOperationException>(() => e.AddOutlet("dw001", "另一个", Medium.Water));
        Assert.Single(e.Outlets);
    }

    [Fact]
    public void OutletRefusesAFactorOfTheOtherMediumAndNegativeLimits()
    {
        var county = new Region("950121", "北山县", RegionKind.County, null);
        var e = new Enterprise("测试热电有限公司", Enterprise.WithCheckCharacter("91950121MA0000003"), county);
        var gas = e.AddOutlet("DA001", "1号锅炉烟囱", Medium.Gas);
        var cod = new Factor("w01018", "化学需氧量", Medium.Water, "mg/L", "kg", "011");
        var so2 = new Factor("a21026", "二氧化硫", Medium.Gas, "mg/m³", "kg", "02");
        Assert.False(gas.SetFactor(cod, 100m).Succeeded);
        Assert.False(gas.SetFactor(so2, -1m).Succeeded);
        Assert.True(gas.SetFactor(so2, 50m).Succeeded);
        Assert.True(gas.SetFactor(so2, 35m).Succeeded);
        Assert.Equal(35m, Assert.Single(gas.Factors).Limit);
    }

    [Theory]
    [InlineData("11-01~03-31", 12, 15, true)]
    [InlineData("11-01~03-31", 2, 28, true)]
    [InlineData("11-01~03-31", 6, 1, false)]
    [InlineData("09-01~12-31", 9, 1, true)]
    [InlineData("09-01~12-31", 8, 31, false)]
    public void ProductionPeriodsMayCrossTheYearEnd(string text, int month, int day, bool inside)
    {
        var period = ProductionPeriod.Parse(text);
        Assert.NotNull(period);
        Assert.Equal(inside, period.Contains(new DateOnly(2026, month, day)));
    }

    [Theory]
    [InlineData("13-01~03-31")]
    [InlineData("02-30~03-31")]
    [InlineData("11-01")]
    [InlineData("abc")]
    public void RejectsMalformedProductionPeriods(string text) => Assert.Null(ProductionPeriod.Parse(text));
}
