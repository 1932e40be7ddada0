using Xunit;
using Zongliang.Domain.Monitoring.Validity;
using static Zongliang.Domain.Tests.Monitoring.SeriesBuilder;

namespace Zongliang.Domain.Tests.Monitoring;

public class OutletEvaluatorTests
{
    private static readonly HashSet<string> Pollutants = ["w01018", "w21003", "a21026", "a21002"];

    [Fact]
    public void WaterMassIsConcentrationTimesVolumeTimesTenToTheMinusThree()
    {
        var result = OutletEvaluator.Evaluate(Water, [Series("w00000", 10, Repeat(6, 100)), Series("w01018", 10, Repeat(6, 10))],
            new OutletContext(Pollutants), Start, Start.AddHours(1));

        var hour = result.Hours["w01018"][0];
        Assert.Equal(360, result.Hours["w00000"][0].VolumeM3!.Value, 9); // 100 L/s for an hour
        Assert.Equal(MassSource.Measured, hour.Mass);
        Assert.Equal(3.6, hour.MassKg!.Value, 9); // 10 mg/L × 360 m³ × 10⁻³
    }

    [Fact]
    public void GasMassIsConcentrationTimesVolumeTimesTenToTheMinusSix()
    {
        var result = OutletEvaluator.Evaluate(Gas, [Series("a00000", 1, Varying(60, 50)), Series("a21026", 1, Varying(60, 100))],
            new OutletContext(Pollutants), Start, Start.AddHours(1));

        var flow = result.Hours["a00000"][0].Mean!.Value;
        var so2 = result.Hours["a21026"][0].Mean!.Value;
        Assert.Equal(so2 * flow * 3600 * 1e-6, result.Hours["a21026"][0].MassKg!.Value, 9);
        Assert.Equal(MassSource.None, result.Hours["a00000"][0].Mass); // flow is not a pollutant
    }

    [Fact]
    public void TheCorrectedConcentrationUsesTheReferenceOxygen()
    {
        var result = OutletEvaluator.Evaluate(Gas, [Series("a19001", 1, Repeat(60, 9)), Series("a21026", 1, Repeat(59, 120).Append((120.0, 'N')))],
            new OutletContext(Pollutants, ReferenceOxygen: 6), Start, Start.AddHours(1));

        Assert.Equal(120 * (21 - 6) / (21.0 - 9), result.Hours["a21026"][0].Corrected!.Value, 9);
        Assert.Null(OutletEvaluator.Corrected(100, 21, 6));
    }

    [Fact]
    public void AShortGapTakesTheMeanOfTheHoursAroundIt()
    {
        // hour 0: 10 mg/L, hours 1–2 analyser fault, hour 3: 30 mg/L; flow 100 L/s throughout
        var cod = Series("w01018", 10, Repeat(6, 10).Concat(Repeat(12, 20, 'D')).Concat(Repeat(6, 30)));
        var result = OutletEvaluator.Evaluate(Water, [Series("w00000", 10, Varying(24, 100)), cod], new OutletContext(Pollutants), Start, Start.AddHours(4));

        var hours = result.Hours["w01018"];
        Assert.Equal([MassSource.Measured, MassSource.Substituted, MassSource.Substituted, MassSource.Measured], hours.Select(h => h.Mass));
        Assert.Equal((hours[0].MassKg!.Value + hours[3].MassKg!.Value) / 2, hours[1].MassKg!.Value, 9);
    }

    [Fact]
    public void ALongGapTakesTheLargestOfThePreviousValidHours()
    {
        var cod = Series("w01018", 10, Repeat(6, 10).Concat(Repeat(6, 50)).Concat(Repeat(6, 20)).Concat(Repeat(6 * 30, 20, 'B')));
        var result = OutletEvaluator.Evaluate(Water, [Series("w00000", 10, Varying(6 * 33, 100)), cod], new OutletContext(Pollutants), Start, Start.AddHours(33));

        var hours = result.Hours["w01018"];
        var largest = hours.Take(3).Max(h => h.MassKg!.Value);
        Assert.All(hours.Skip(3), h => Assert.Equal((MassSource.Substituted, largest), (h.Mass, h.MassKg!.Value)));
        Assert.Equal(30, result.Days["w01018"].Sum(d => d.SubstitutedHours));
    }

    [Fact]
    public void StoppedHoursHaveNoEmissionAndAreNotSubstituted()
    {
        var cod = Series("w01018", 10, Repeat(6, 10).Concat(Repeat(12, 0, 'F')).Concat(Repeat(6, 30)));
        var flow = Series("w00000", 10, Repeat(6, 100).Concat(Repeat(12, 0, 'F')).Concat(Repeat(6, 100)));
        var hours = OutletEvaluator.Evaluate(Water, [flow, cod], new OutletContext(Pollutants), Start, Start.AddHours(4)).Hours["w01018"];

        Assert.Equal([MassSource.Measured, MassSource.Stopped, MassSource.Stopped, MassSource.Measured], hours.Select(h => h.Mass));
        Assert.Equal(0, hours[1].MassKg);
    }

    [Fact]
    public void WithoutAFlowMeterThereIsNoMassToSubstitute()
    {
        var result = OutletEvaluator.Evaluate(Water, [Series("w01018", 10, Repeat(6, 10))], new OutletContext(Pollutants), Start, Start.AddHours(2));

        Assert.All(result.Hours["w01018"], h => Assert.Equal(MassSource.None, h.Mass));
        Assert.Equal(0, result.Days["w01018"][0].UnknownMassHours); // not counted as unknown: there is no flow at all
    }
}

public class OperationNoticeTests
{
    private static readonly DateTime Now = new(2026, 11, 27, 2, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void ANoticeNeedsAnOrderedSpanOfAtMost92DaysAndAReason()
    {
        Assert.Equal("To", Domain.Monitoring.OperationNotice.File(1, NoticeKind.PlannedStop, Now, Now, "检修", "企业", Now).Outcome.Field);
        Assert.Equal("To", Domain.Monitoring.OperationNotice.File(1, NoticeKind.PlannedStop, Now, Now.AddDays(93), "检修", "企业", Now).Outcome.Field);
        Assert.Equal("Reason", Domain.Monitoring.OperationNotice.File(1, NoticeKind.PlannedStop, Now, Now.AddDays(1), " ", "企业", Now).Outcome.Field);
        var (notice, ok) = Domain.Monitoring.OperationNotice.File(1, NoticeKind.Maintenance, Now, Now.AddDays(1), "更换COD分析仪", "企业", Now);
        Assert.True(ok.Succeeded);
        Assert.False(notice!.Decide(false, "", "审核员", Now).Succeeded); // a refusal needs a reason
        Assert.True(notice.Decide(true, null, "审核员", Now).Succeeded);
        Assert.False(notice.Decide(false, "改主意", "审核员", Now).Succeeded); // decided once
    }

    [Fact]
    public void APlannedStopMakesHoursWithoutValidDataNotProducingAndKeepsHoursThatRan()
    {
        // hour 0 ran (valid data), hours 1–2 nothing at all, hour 3 ran; a planned stop over hours 0–3.
        var cod = Series("w01018", 10, Repeat(6, 10)).Points.Concat(Series("w01018", 10, Repeat(6, 30), Start.AddHours(3)).Points).ToArray();
        var flow = Series("w00000", 10, Repeat(6, 100)).Points.Concat(Series("w00000", 10, Repeat(6, 100), Start.AddHours(3)).Points).ToArray();
        var series = new FactorSeries[] { new("w00000", flow), new("w01018", cod) };
        var without = OutletEvaluator.Evaluate(Water, series, new OutletContext(new HashSet<string> { "w01018" }), Start, Start.AddHours(4)).Hours["w01018"];
        var with = OutletEvaluator.Evaluate(Water, series, new OutletContext(new HashSet<string> { "w01018" }, Notices: [new NoticeSpan(Start, Start.AddHours(4), NoticeKind.PlannedStop)]), Start, Start.AddHours(4)).Hours["w01018"];

        Assert.Equal([MassSource.Measured, MassSource.Substituted, MassSource.Substituted, MassSource.Measured], without.Select(h => h.Mass));
        Assert.Equal([PeriodStatus.Valid, PeriodStatus.Stopped, PeriodStatus.Stopped, PeriodStatus.Valid], with.Select(h => h.Status));
        Assert.Equal([MassSource.Measured, MassSource.Stopped, MassSource.Stopped, MassSource.Measured], with.Select(h => h.Mass));
        Assert.All(with, h => Assert.Equal(NoticeKind.PlannedStop, h.Notice));
    }

    [Fact]
    public void MaintenanceKeepsTheVerdictButLeavesTheAssessment()
    {
        var cod = Series("w01018", 10, Repeat(6, 10, 'M').Concat(Repeat(6, 20)));
        var hours = OutletEvaluator.Evaluate(Water, [cod], new OutletContext(new HashSet<string>(), Notices: [new NoticeSpan(Start, Start.AddHours(1), NoticeKind.Maintenance)]), Start, Start.AddHours(2)).Hours["w01018"];

        Assert.Equal([PeriodStatus.Invalid, PeriodStatus.Valid], hours.Select(h => h.Status));
        Assert.Equal(new OperationRates(6, 6, 6), OperationRates.Of(hours));
    }
}
