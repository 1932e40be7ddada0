using Xunit;
using Zongliang.Domain.Monitoring.Validity;
using static Zongliang.Domain.Tests.Monitoring.SeriesBuilder;

namespace Zongliang.Domain.Tests.Monitoring;

public class ValidityEngineTests
{
    [Theory]
    [InlineData(45, PeriodStatus.Valid)]
    [InlineData(44, PeriodStatus.Invalid)]
    public void AGasHourNeeds45ValidMinutes(int valid, PeriodStatus expected)
    {
        var series = Series("a21026", 1, Varying(valid, 50).Concat(Varying(60 - valid, 50, 'D')));

        var hour = Hours(Gas, series, 1)[0];

        Assert.Equal(expected, hour.Status);
        Assert.Equal(valid, hour.ValidCount);
        Assert.Equal(60, hour.Expected);
    }

    [Theory]
    [InlineData(5, PeriodStatus.Valid)]
    [InlineData(4, PeriodStatus.Invalid)]
    public void DataEveryTenMinutesNeed75PercentOfTheExpectedPoints(int valid, PeriodStatus expected)
    {
        var series = Series("w01018", 10, Varying(valid, 30).Concat(Varying(6 - valid, 30, 'M')).Concat(Varying(6, 30)));

        var hour = Hours(Water, series, 1)[0];

        Assert.Equal(6, hour.Expected);
        Assert.Equal(expected, hour.Status);
    }

    [Fact]
    public void StoppedMinutesLeaveTheExpectedCountAndTheMean()
    {
        var series = Series("a21026", 1, Repeat(30, 999, 'F').Concat(Varying(30, 50)));

        var hour = Hours(Gas, series, 1)[0];

        Assert.Equal(PeriodStatus.Valid, hour.Status);
        Assert.Equal(30, hour.Expected);
        Assert.InRange(hour.Mean!.Value, 50, 51);
    }

    [Fact]
    public void AnHourWhollyStoppedIsStoppedNotInvalid()
    {
        var hours = Hours(Gas, Series("a21026", 1, Repeat(60, 0, 'F')), 1);

        Assert.Equal(PeriodStatus.Stopped, hours[0].Status);
    }

    [Fact]
    public void AnHourWithoutDataIsInvalidWithAGap()
    {
        var hours = Hours(Gas, Series("a21026", 1, Varying(60, 50)), 2);

        Assert.Equal(PeriodStatus.Invalid, hours[1].Status);
        Assert.Equal(0, hours[1].Received);
        Assert.True(hours[1].Suspect.HasFlag(SuspectReason.Gap));
        Assert.False(hours[0].Suspect.HasFlag(SuspectReason.Gap));
    }

    [Fact]
    public void ManualValuesAreInvalidUntilAnAuditorApprovesTheHour()
    {
        var series = Series("a21026", 1, Varying(20, 50).Concat(Repeat(40, 80, 'S')));

        var before = Hours(Gas, series, 1)[0];
        var approved = Hours(Gas, series, 1, decisions: [new AuditOverride("a21026", Start, AuditSpan.Hour, true)])[0];

        Assert.Equal(PeriodStatus.Invalid, before.Status);
        Assert.Equal(40, before.ManualCount);
        Assert.Equal(PeriodStatus.Valid, approved.Status);
        Assert.True(approved.Audited);
        Assert.True(approved.Mean > before.Mean, "the approved S values enter the mean");
    }

    [Fact]
    public void AValueRepeatedForAnHourIsSuspectButStillCounts()
    {
        var repeated = Hours(Gas, Series("a21026", 1, Repeat(60, 42.0)), 1)[0];
        var shorter = Hours(Gas, Series("a21026", 1, Repeat(58, 42.0).Concat(Varying(2, 10))), 1)[0];

        Assert.True(repeated.Suspect.HasFlag(SuspectReason.Repeated));
        Assert.Equal(PeriodStatus.Valid, repeated.Status);
        Assert.False(shorter.Suspect.HasFlag(SuspectReason.Repeated));
    }

    [Fact]
    public void WaterToleratesARepeatUpToFourHours()
    {
        var threeHours = Hours(Water, Series("w01018", 10, Repeat(18, 25.0).Concat(Varying(6, 40))), 4);
        var fourHours = Hours(Water, Series("w01018", 10, Repeat(24, 25.0)), 4);

        Assert.DoesNotContain(threeHours, h => h.Suspect.HasFlag(SuspectReason.Repeated));
        Assert.All(fourHours, h => Assert.True(h.Suspect.HasFlag(SuspectReason.Repeated)));
    }

    [Fact]
    public void NegativeOverRangeAndJumpsAreSuspect()
    {
        var negative = Hours(Gas, Series("a21026", 1, Varying(59, 50).Append((-3, 'N'))), 1)[0];
        var overRange = Hours(Gas, Series("a21026", 1, Varying(59, 50).Append((2000, 'N'))), 1)[0];
        var jump = Hours(Gas, Series("a21026", 1, Varying(59, 5).Append((400, 'N'))), 1)[0];

        Assert.Equal(SuspectReason.Negative, negative.Suspect);
        Assert.Equal(SuspectReason.OverRange | SuspectReason.Jump, overRange.Suspect);
        Assert.Equal(SuspectReason.Jump, jump.Suspect);
    }

    [Fact]
    public void ZeroFlowWhileTheConcentrationChangesIsSuspect()
    {
        var flow = Series("w00000", 10, Repeat(3, 12.5).Concat(Repeat(3, 0)));
        var cod = Series("w01018", 10, Varying(6, 30));
        var steadyCod = Series("w01018", 10, Varying(3, 30).Concat(Repeat(3, 30.2)));

        Assert.True(Hours(Water, cod, 1, flow)[0].Suspect.HasFlag(SuspectReason.ZeroFlow));
        Assert.False(Hours(Water, steadyCod, 1, flow)[0].Suspect.HasFlag(SuspectReason.ZeroFlow));
    }

    [Fact]
    public void AWaterHourIsWeightedByFlow()
    {
        var flow = Series("w00000", 10, [(10, 'N'), (10, 'N'), (10, 'N'), (30, 'N'), (30, 'N'), (30, 'N')]);
        var cod = Series("w01018", 10, [(20, 'N'), (20, 'N'), (20, 'N'), (40, 'N'), (40, 'N'), (40, 'N')]);

        var weighted = Hours(Water, cod, 1, flow)[0];
        var plain = Hours(Gas, cod, 1, flow)[0];

        Assert.Equal((20 * 10 + 40 * 30) / 40.0, weighted.Mean!.Value, 9);
        Assert.Equal(30, plain.Mean!.Value, 9);
    }

    [Theory]
    [InlineData(20, PeriodStatus.Valid)]
    [InlineData(19, PeriodStatus.Invalid)]
    public void AGasDayNeeds20ValidHours(int validHours, PeriodStatus expected)
    {
        var minutes = Enumerable.Range(0, 24).SelectMany(h => h < validHours ? Varying(60, 50) : Varying(60, 50, 'C'));
        var hours = Hours(Gas, Series("a21026", 1, minutes), 24);

        var day = ValidityEngine.EvaluateDays(Gas, hours, null, "a21026").Single();

        Assert.Equal(expected, day.Status);
        Assert.Equal(validHours, day.ValidHours);
        Assert.Equal(DateOnly.FromDateTime(Start.AddHours(8)), day.Day);
    }

    [Fact]
    public void AGasDayWithStoppedHoursNeedsProportionallyFewer()
    {
        var minutes = Enumerable.Range(0, 24).SelectMany(h => h < 12 ? Repeat(60, 0, 'F') : h < 22 ? Varying(60, 50) : Varying(60, 50, 'D'));
        var day = ValidityEngine.EvaluateDays(Gas, Hours(Gas, Series("a21026", 1, minutes), 24), null, "a21026").Single();

        Assert.Equal(12, day.StoppedHours);
        Assert.Equal(PeriodStatus.Valid, day.Status); // 10 of 12 producing hours ≥ 20/24 of 12
    }

    [Theory]
    [InlineData(108, PeriodStatus.Valid)]
    [InlineData(107, PeriodStatus.Invalid)]
    public void AWaterDayNeeds75PercentOfTheExpectedPoints(int validPoints, PeriodStatus expected)
    {
        var series = Series("w01018", 10, Varying(validPoints, 30).Concat(Varying(144 - validPoints, 30, 'B')));
        var day = ValidityEngine.EvaluateDays(Water, Hours(Water, series, 24), null, "w01018").Single();

        Assert.Equal(144, day.ExpectedPoints);
        Assert.Equal(expected, day.Status);
    }

    [Fact]
    public void ADayDecisionOverridesTheRuleAndALaterDecisionOverridesIt()
    {
        var hours = Hours(Gas, Series("a21026", 1, Varying(1440, 50)), 24);
        var invalid = new AuditOverride("", Start, AuditSpan.Day, false);
        var valid = invalid with { Valid = true };

        Assert.Equal(PeriodStatus.Invalid, ValidityEngine.EvaluateDays(Gas, hours, null, "a21026", [invalid])[0].Status);
        Assert.Equal(PeriodStatus.Valid, ValidityEngine.EvaluateDays(Gas, hours, null, "a21026", [invalid, valid])[0].Status);
    }
}

public class OperationRatesTests
{
    [Fact]
    public void RatesCountProducingPointsOnlyAndMultiply()
    {
        // Hour 1: 6 of 6 received, 5 valid; hour 2: 3 stopped, 3 producing received and valid; hour 3: stopped.
        var minutes = SeriesBuilder.Varying(5, 30).Append((30, 'D')).Concat(SeriesBuilder.Varying(3, 30)).Concat(SeriesBuilder.Repeat(3, 0, 'F'))
            .Concat(SeriesBuilder.Repeat(6, 0, 'F'));
        var hours = SeriesBuilder.Hours(SeriesBuilder.Water, SeriesBuilder.Series("w01018", 10, minutes), 3);

        var rates = OperationRates.Of(hours);

        Assert.Equal(new OperationRates(Expected: 6 + 3, Received: 6 + 3, Valid: 5 + 3), rates);
        Assert.Equal(1.0, rates.Transmission);
        Assert.Equal(8 / 9.0, rates.Validity!.Value, 9);
        Assert.Equal(rates.Transmission!.Value * rates.Validity!.Value, rates.EffectiveTransmission!.Value, 9);
        Assert.Null(default(OperationRates).Transmission);
    }

    [Fact]
    public void MissingPointsLowerTheTransmissionRate()
    {
        var hours = SeriesBuilder.Hours(SeriesBuilder.Gas, SeriesBuilder.Series("a21026", 1, SeriesBuilder.Varying(30, 50)), 2);

        var rates = OperationRates.Of(hours);

        Assert.Equal((120L, 30L, 30L), (rates.Expected, rates.Received, rates.Valid));
        Assert.Equal(0.25, rates.EffectiveTransmission);
    }
}

public class OperationRatesWithStopsTests
{
    [Fact]
    public void StoppedPointsAreNotCountedAsReceived()
    {
        // 2 stopped, 2 producing received, 2 missing: 2 of 4 expected.
        var series = SeriesBuilder.Series("w01018", 10, SeriesBuilder.Repeat(2, 0, 'F').Concat(SeriesBuilder.Varying(2, 30)));

        var rates = OperationRates.Of(SeriesBuilder.Hours(SeriesBuilder.Water, series, 1));

        Assert.Equal((4L, 2L, 2L), (rates.Expected, rates.Received, rates.Valid));
    }
}
