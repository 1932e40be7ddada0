namespace Zongliang.Web.Features.Ingestion;

/// <summary>Writes the clock faults the listener collected every <see cref="Interval"/>.</summary>
public sealed class ClockFaultJob(ClockFaultRecorder recorder) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
            await recorder.FlushAsync(stoppingToken);
    }
}
