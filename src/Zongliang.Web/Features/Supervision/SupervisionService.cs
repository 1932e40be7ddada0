using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Access;
using Zongliang.Domain.Common;
using Zongliang.Domain.Monitoring.Validity;
using Zongliang.Domain.Registry;
using Zongliang.Domain.Supervision;
using Zongliang.Domain.Warnings;
using Zongliang.Web.Features.Warnings;

namespace Zongliang.Web.Features.Supervision;

/// <summary>The annual plan, samples with their consequences (linkage cases, suspicions, treatment conclusions) and post-deadline tasks.</summary>
public static class SupervisionService
{
    public const string Proposal = "建议依法责令限制生产、停产整治；经限期治理逾期仍未完成的，报请有批准权的人民政府责令关闭。";

    /// <summary>Adds the missing tasks of a year's plan for the key sources in scope; returns how many.</summary>
    public static async Task<int> GeneratePlanAsync(ZongliangDbContext db, int year, string responsible, string by, DateTime nowUtc, CancellationToken ct)
    {
        var keySources = await db.Enterprises.AsNoTracking().Where(e => e.ControlLevel != ControlLevel.None)
            .Select(e => new ValueTuple<int, int>(e.Id, e.RegionId)).ToListAsync(ct);
        var existing = (await db.SupervisoryTasks.AsNoTracking().Where(t => t.Year == year && t.Kind == SupervisoryKind.Quarterly)
            .Select(t => new { t.EnterpriseId, t.Quarter }).ToListAsync(ct)).Select(t => (t.EnterpriseId, t.Quarter)).ToHashSet();
        var tasks = SupervisoryPlan.Generate(year, keySources, existing, responsible, by, nowUtc);
        db.SupervisoryTasks.AddRange(tasks);
        await db.SaveChangesAsync(ct);
        return tasks.Count;
    }

    /// <summary>
    /// Enters a sample: each value against the outlet's limit and the online value of the same hour.
    /// An exceedance opens a linkage case (for a post-deadline task it fails the treatment entry, with
    /// the proposal); a large difference from the online value raises a suspicion of the online data.
    /// </summary>
    public static async Task<(SupervisorySample? Sample, Outcome Outcome)> EnterSampleAsync(ZongliangDbContext db, WarningRules rules, SupervisoryTask task, int outletId,
        DateTime sampledAtUtc, string? method, string? reportNumber, IReadOnlyDictionary<string, double> values, string by, DateTime nowUtc, CancellationToken ct)
    {
        var outlet = await db.Outlets.AsNoTracking().Include(o => o.Factors).Include(o => o.Enterprise).FirstOrDefaultAsync(o => o.Id == outletId && o.EnterpriseId == task.EnterpriseId, ct);
        if (outlet is null)
            return (null, Outcome.Refuse("请选择该排污单位的排放口", "OutletId"));
        var hour = ValidityEngine.TruncateHour(sampledAtUtc);
        var online = await db.HourAggregates.AsNoTracking().Where(h => h.OutletId == outletId && h.HourUtc == hour && h.Status == PeriodStatus.Valid)
            .ToDictionaryAsync(h => h.FactorCode, h => h.Corrected ?? h.Mean, ct);
        var judged = values.Select(v => new SampleValue(v.Key, v.Value, (double?)outlet.Factors.FirstOrDefault(f => f.FactorCode == v.Key)?.Limit,
            online.GetValueOrDefault(v.Key), rules.Supervisory.MaxDifferencePercent.Value)).ToList();
        var (sample, outcome) = SupervisorySample.Enter(task, outletId, sampledAtUtc, method, reportNumber, judged, by, nowUtc);
        if (!outcome.Succeeded) return (null, outcome);
        db.SupervisorySamples.Add(sample!);
        await db.SaveChangesAsync(ct);

        var names = await db.Factors.AsNoTracking().ToDictionaryAsync(f => f.Code, f => f.Name, ct);
        string Describe(SampleValue v) => string.Create(CultureInfo.InvariantCulture, $"{names.GetValueOrDefault(v.FactorCode, v.FactorCode)} {v.Value:0.###}（限值 {v.Limit:0.###}）");
        var exceeded = sample!.Values.Where(v => v.Exceeded).ToList();
        var subject = $"{outlet.Enterprise.Name} {outlet.Code} {(task.Kind == SupervisoryKind.PostDeadline ? "限期治理到期监测" : "监督性监测")}超标：{string.Join("、", exceeded.Select(Describe))}，报告 {sample.ReportNumber}";
        if (task.TreatmentEntryId is { } entryId && await db.TreatmentEntries.FirstOrDefaultAsync(e => e.Id == entryId, ct) is { } entry)
        {
            var evidence = exceeded.Count > 0 ? subject : $"到期监测达标（报告 {sample.ReportNumber}）：{string.Join("、", sample.Values.Select(Describe))}";
            if (entry.Conclude(exceeded.Count > 0, evidence, nowUtc).Succeeded && exceeded.Count > 0)
                entry.LinkCase(await OpenCaseAsync(db, outlet.Enterprise.RegionId, outlet.EnterpriseId, outletId, $"{subject}。{Proposal}", by, nowUtc, ct));
        }
        else if (exceeded.Count > 0)
            await OpenCaseAsync(db, outlet.Enterprise.RegionId, outlet.EnterpriseId, outletId, subject, by, nowUtc, ct);

        foreach (var v in sample.Values.Where(v => v.Suspicious))
        {
            var score = (int)rules.Supervisory.SuspicionScore.Value;
            var w = Warning.Raise(WarningKind.Suspicion, SuspicionDetectors.LevelOf(score), outlet.Enterprise.RegionId, outlet.EnterpriseId, outletId, v.FactorCode,
                "manual-vs-online", hour, hour, v.Value, v.Limit, score,
                $"{outlet.Enterprise.Name} {outlet.Code} {names.GetValueOrDefault(v.FactorCode, v.FactorCode)}：手工监测与在线监测偏差过大（评分 {score}）",
                string.Create(CultureInfo.InvariantCulture, $"{BeijingTime.Format(sampledAtUtc)} 手工监测 {v.Value:0.###}，同一小时在线 {v.Online:0.###}，相对偏差 {v.DifferencePercent:0.#}%（报告 {sample.ReportNumber}）"), nowUtc);
            if (!await db.Warnings.AnyAsync(x => x.Kind == WarningKind.Suspicion && x.OutletId == outletId && x.Subject == v.FactorCode && x.Rule == "manual-vs-online" && x.StartUtc == hour, ct))
                db.Warnings.Add(w);
        }
        await db.SaveChangesAsync(ct);
        return (sample, outcome);
    }

    private static async Task<long> OpenCaseAsync(ZongliangDbContext db, int regionId, int enterpriseId, int outletId, string subject, string by, DateTime nowUtc, CancellationToken ct)
    {
        var (c, outcome) = LinkageCase.Open(regionId, enterpriseId, outletId, null, CaseSource.SupervisoryMonitoring, subject.Length > 300 ? subject[..300] : subject, by, nowUtc);
        if (!outcome.Succeeded) throw new InvalidOperationException(outcome.Error);
        db.LinkageCases.Add(c!);
        await db.SaveChangesAsync(ct);
        await CaseService.NotifyAsync(db, c!, "监督性监测超标，新的联动案件待指派", nowUtc, ct);
        return c!.Id;
    }

    /// <summary>On (or after) an entry's deadline day: creates its post-deadline monitoring task, once, and tells the monitoring station.</summary>
    public static async Task<int> CreateDeadlineTasksAsync(ZongliangDbContext db, WarningRules rules, DateTime nowUtc, CancellationToken ct)
    {
        var today = BeijingTime.Date(nowUtc);
        var due = await db.TreatmentEntries.Where(e => e.State == TreatmentState.InProgress && e.Deadline <= today && e.MonitoringTaskId == null).ToListAsync(ct);
        foreach (var entry in due)
        {
            var responsible = await StationPersonAsync(db, entry.RegionId, ct);
            var task = SupervisoryTask.AfterDeadline(entry.Id, entry.EnterpriseId, entry.RegionId, today, (int)rules.Supervisory.PostDeadlineDays.Value, responsible, nowUtc);
            db.SupervisoryTasks.Add(task);
            await db.SaveChangesAsync(ct);
            entry.MonitoringCreated(task.Id);
            await Notifier.NotifyAsync(db, new Recipients([Roles.MonitoringStation], entry.RegionId), "限期治理到期监测任务",
                $"限期治理条目 {entry.Id}（{entry.Problem}）已到期，请于 {task.Due:yyyy-MM-dd} 前完成到期监测", $"/Supervision/Task/{task.Id}", nowUtc, ct);
            await db.SaveChangesAsync(ct);
        }
        return due.Count;
    }

    /// <summary>The display name of a monitoring-station user whose region covers the region, or the station's name.</summary>
    public static async Task<string> StationPersonAsync(ZongliangDbContext db, int regionId, CancellationToken ct)
    {
        var path = await Staff.RegionPathAsync(db, regionId, ct);
        return (await Staff.InRolesAsync(db, [Roles.MonitoringStation], ct)).Where(u => u.RegionPath is not null && u.Covers(path))
            .OrderByDescending(u => u.RegionPath!.Length).Select(u => u.DisplayName).FirstOrDefault() ?? "市监测站";
    }
}
