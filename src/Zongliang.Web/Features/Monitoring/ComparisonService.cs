using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Data.Monitoring;
using Zongliang.Domain.Access;
using Zongliang.Domain.Common;
using Zongliang.Domain.Monitoring;
using Zongliang.Domain.Monitoring.Comparison;
using Zongliang.Domain.Monitoring.Validity;
using Zongliang.Domain.Registry;

namespace Zongliang.Web.Features.Monitoring;

/// <summary>
/// Comparison monitoring (比对监测): creates the tasks the schedule asks for, evaluates a task
/// against the device values at the sampling times, and after a failure opens a retest for the
/// operator and recomputes the outlet, whose data become suspect since the last passed comparison.
/// </summary>
public sealed class ComparisonService(ComparisonLimits limits, RecomputeQueue aggregates, TimeProvider clock)
{
    public ComparisonLimits Limits => limits;

    /// <summary>Creates the current period's tasks of every outlet with a networked device and a factor the limits cover; returns how many.</summary>
    public async Task<int> CreateDueTasksAsync(ZongliangDbContext db, CancellationToken ct)
    {
        var today = BeijingTime.Today(clock);
        var networked = DeviceState.Networked;
        var comparable = limits.Factors.Keys.ToList();
        var outlets = await db.Outlets.AsNoTracking().Include(o => o.Enterprise)
            .Where(o => db.Devices.Any(d => d.OutletId == o.Id && d.State == networked) && o.Factors.Any(f => comparable.Contains(f.FactorCode)))
            .ToListAsync(ct);
        var existing = (await db.ComparisonTasks.Select(t => new { t.OutletId, t.Key }).ToListAsync(ct)).Select(t => (t.OutletId, t.Key)).ToHashSet();
        var created = 0;
        foreach (var outlet in outlets)
            foreach (var due in ComparisonSchedule.Current(outlet.Enterprise.ProductionMode, outlet.Enterprise.ParsedPeriods(), today))
                if (existing.Add((outlet.Id, due.Key)))
                {
                    db.ComparisonTasks.Add(new ComparisonTask(outlet.Id, due.Key, due.Label, due.Due, ComparisonKind.Scheduled, "", clock.GetUtcNow().UtcDateTime));
                    created++;
                }
        await db.SaveChangesAsync(ct);
        return created;
    }

    /// <summary>
    /// Finds each sample's device value (the minute value nearest the sampling time, within the
    /// limits file's matchMinutes), evaluates each factor and ends the task; refused with a message
    /// when a factor cannot be evaluated yet.
    /// </summary>
    public async Task<Outcome> EvaluateAsync(ZongliangDbContext db, ComparisonTask task, string by, CancellationToken ct)
    {
        if (task.State != ComparisonState.Open)
            return Outcome.Refuse("该比对已完成评价");
        var window = TimeSpan.FromMinutes(limits.MatchMinutes.Value);
        var minute = ReadingKind.Minute;
        foreach (var sample in task.Samples)
        {
            var (from, to) = (sample.SampledAtUtc - window, sample.SampledAtUtc + window);
            var near = await db.Readings.AsNoTracking()
                .Where(r => r.OutletId == task.OutletId && r.FactorCode == sample.FactorCode && r.Kind == minute && r.TimeUtc >= from && r.TimeUtc <= to && r.Value != null)
                .Select(r => new { r.TimeUtc, r.Value }).ToListAsync(ct);
            sample.DeviceValue = near.OrderBy(r => Math.Abs((r.TimeUtc - sample.SampledAtUtc).Ticks)).Select(r => r.Value).FirstOrDefault();
        }
        var missing = task.Samples.Where(s => s.DeviceValue is null).ToList();
        if (missing.Count > 0)
            return Outcome.Refuse($"{missing.Count} 个样品在采样时刻前后 {limits.MatchMinutes.Value} 分钟内没有设备分钟数据，无法比对（最早一个：{BeijingTime.Format(missing[0].SampledAtUtc)}）", "Samples");
        var verdicts = new List<ComparisonVerdict>();
        foreach (var factor in task.Samples.GroupBy(s => s.FactorCode))
        {
            var (verdict, outcome) = ComparisonEvaluator.Evaluate(limits, factor.Key, factor.Select(s => new SamplePair(s.DeviceValue!.Value, s.LabValue)).ToList());
            if (!outcome.Succeeded)
                return Outcome.Refuse($"{factor.Key}：{outcome.Error}", outcome.Field);
            verdicts.Add(verdict!);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var done = task.Complete(verdicts, by, now);
        if (!done.Succeeded)
            return done;
        if (task.State == ComparisonState.Failed)
            db.ComparisonTasks.Add(new ComparisonTask(task.OutletId, $"R{task.Id}", $"{task.Label} 不合格整改复测", BeijingTime.Today(clock).AddDays(7),
                ComparisonKind.Retest, task.AssignedTo, now));
        await db.SaveChangesAsync(ct);
        if (task.State == ComparisonState.Failed)
        {
            // The data since the last passed comparison become suspect: recompute from there.
            var since = await db.ComparisonTasks.Where(t => t.OutletId == task.OutletId && t.State == ComparisonState.Passed && t.Id != task.Id)
                .MaxAsync(t => t.EvaluatedAtUtc, ct);
            await aggregates.RecomputeNowAsync(task.OutletId, since is { } s ? BeijingTime.Date(s) : DateOnly.MinValue.AddDays(1), ct);
        }
        return Outcome.Ok();
    }
}

/// <summary>Creates the due comparison tasks on start and every hour (a new quarter or production period opens new ones).</summary>
public sealed class ComparisonJob(ComparisonService service, JobLeases leases, IServiceScopeFactory scopes, TimeProvider clock, ILogger<ComparisonJob> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
            try
            {
                // One instance of those on the database creates the tasks: the holder of the lease, renewed each hour.
                if (!await leases.TryHoldAsync("comparison-schedule", TimeSpan.FromHours(3), stoppingToken)) continue;
                await using var scope = scopes.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<ScopeAccessor>().Scope = AccessScope.System("comparison-schedule");
                var created = await service.CreateDueTasksAsync(scope.ServiceProvider.GetRequiredService<ZongliangDbContext>(), stoppingToken);
                if (created > 0)
                    log.LogInformation("Created {Count} comparison tasks", created);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogError(ex, "Creating the due comparison tasks failed; tried again in an hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>A stopping instance gives the lease up, so that another (or this one, restarted) takes over at once.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await leases.ReleaseQuietlyAsync("comparison-schedule", log);
    }
}
