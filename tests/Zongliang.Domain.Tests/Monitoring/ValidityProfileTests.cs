using Xunit;
using Zongliang.Domain.Monitoring.Validity;
using Zongliang.Domain.Registry;

namespace Zongliang.Domain.Tests.Monitoring;

public class ValidityProfileTests
{
    [Theory]
    [InlineData("gas", Medium.Gas)]
    [InlineData("water", Medium.Water)]
    public void ShippedProfilesLoadAndCiteASourceForEveryNumber(string name, Medium medium)
    {
        var profile = ValidityProfile.Load(name);

        Assert.Equal(medium, profile.Medium);
        Assert.Empty(profile.Problems());
        CitedNumber[] numbers =
        [
            profile.HourMinValidRatio, profile.Day.MinValidHours, profile.Day.MinValidPointsRatio,
            profile.Suspect.RepeatMinutes, profile.Suspect.JumpFactor, profile.Suspect.JumpFloor,
            profile.Substitution.ShortGapHours, profile.Substitution.LookbackValidHours,
            profile.Mass.FlowToCubicMetresPerHour, profile.Mass.KgPerConcentrationVolume,
            .. profile.Suspect.Ranges.Values,
        ];
        Assert.All(numbers, n => Assert.False(string.IsNullOrWhiteSpace(n.Source)));
        Assert.Contains(numbers, n => n.IsDefault);
        Assert.Contains(name, ValidityProfile.Names());
    }

    [Fact]
    public void FlagsAreClassifiedAsTable8AndTheProfileSay()
    {
        var gas = ValidityProfile.Load("gas");

        Assert.Equal(MinuteClass.Valid, gas.Classify('N'));
        Assert.Equal(MinuteClass.Valid, gas.Classify('n'));
        Assert.Equal(MinuteClass.Stopped, gas.Classify('F'));
        Assert.Equal(MinuteClass.Manual, gas.Classify('S'));
        foreach (var flag in "MCDTB")
            Assert.Equal(MinuteClass.Invalid, gas.Classify(flag));
        Assert.Equal(MinuteClass.Invalid, gas.Classify('X'));
    }

    [Fact]
    public void RefusesAFileWhoseNumbersMakeNoSense()
    {
        var text = File.ReadAllText(Path.Combine(ValidityProfile.DefaultDirectory, "validity-gas.json"))
            .Replace("\"hourMinValidRatio\": { \"value\": 0.75", "\"hourMinValidRatio\": { \"value\": 7.5");
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));

        var error = Assert.Throws<InvalidDataException>(() => ValidityProfile.Parse(stream, "edited.json"));

        Assert.Contains("hourMinValidRatio", error.Message);
    }

    [Fact]
    public void RefusesANameThatIsAPath()
    {
        Assert.Throws<ArgumentException>(() => ValidityProfile.Load("../gas"));
        Assert.Throws<FileNotFoundException>(() => ValidityProfile.Load("nosuch"));
    }
}
