using Xunit;

namespace Zongliang.Cli.Tests;

/// <summary>
/// `zl loadtest` proves that no acknowledged frame is lost by comparing two sets of frames: what was
/// acknowledged and what the archive holds. These tests make sure that comparison can see a loss.
/// </summary>
public sealed class LoadTestBookkeepingTests
{
    [Fact]
    public void AFrameAcknowledgedButNotInTheArchiveIsCountedMissing()
    {
        var acknowledged = new FrameSet(3);
        var archived = new FrameSet(3);
        // Frame numbers far apart, so the rows grow past their first words.
        foreach (var (c, n) in new[] { (0, 0L), (0, 63L), (0, 64L), (1, 5L), (2, 1000L), (2, 70_000L) })
        {
            acknowledged.Add(c, n);
            if ((c, n) != (2, 1000L)) archived.Add(c, n);
        }
        archived.Add(1, 6); // archived but never acknowledged: not a loss

        Assert.Equal(6, acknowledged.Count);
        Assert.Equal(1, acknowledged.CountMissingFrom(archived));
        Assert.Equal(1, archived.CountMissingFrom(acknowledged));
        Assert.Equal(0, acknowledged.CountMissingFrom(acknowledged));
    }

    [Fact]
    public void TheQnNamesTheConnectionAndTheFrame()
    {
        Assert.Equal((123, 45_678L), LoadRun.FrameOf("20300012300045678"));
        Assert.Null(LoadRun.FrameOf("20261101101000123")); // a logger's own QN (a time), not the load client's
        Assert.Null(LoadRun.FrameOf("2030001230004567"));  // one digit short
    }

    [Fact]
    public void APercentileIsTheValueBelowWhichThatShareOfTheValuesLie()
    {
        var hundred = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();
        Assert.Equal(51, LoadRun.Percentile(hundred, 0.50));
        Assert.Equal(100, LoadRun.Percentile(hundred, 0.99));
        Assert.Equal(7.25, LoadRun.Percentile([7.25], 0.99));
        Assert.Equal(0, LoadRun.Percentile([], 0.99));
    }

    [Fact]
    public void LatenciesAreGroupedByTheSecondTheirFramesWereSent()
    {
        // Second 40: 100 frames at 1..100 ms; second 41: nothing; second 42: one slow frame; 10.5 s window.
        var latencies = Enumerable.Range(1, 100).Select(i => (40 + i / 200.0, (double)i)).Append((42.9, 480.5)).ToList();

        var seconds = LoadRun.Windows(latencies, 1).ToList();
        Assert.Equal([(40, 100, 51.0, 100.0, 100.0), (42, 1, 480.5, 480.5, 480.5)], seconds);

        var tens = LoadRun.Windows(latencies, 10).ToList();
        Assert.Equal([(40, 101, 51.0, 100.0, 480.5)], tens);
    }
}
