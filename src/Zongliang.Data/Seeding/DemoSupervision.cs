using Microsoft.EntityFrameworkCore;
using Zongliang.Domain.Common;
using Zongliang.Domain.Registry;
using Zongliang.Domain.Supervision;

namespace Zongliang.Data.Seeding;

/// <summary>
/// The demo city's supervisory monitoring and deadline treatment: this year's plan for every key
/// source, with the past quarters sampled (a few tasks left overdue), and two treatment lists, one of
/// whose entries reached its deadline yesterday (the sweep creates its post-deadline monitoring).
/// </summary>
public static class DemoSupervision
{
    private static readonly string[] Staff = ["市监测站 王强", "市监测站 刘洋", "市监测站 孙丽"];

    public static async Task SeedAsync(ZongliangDbContext db, IReadOnlyList<Enterprise> enterprises, DateOnly today, DateTime nowUtc, Random rng, CancellationToken ct)
    {
        var keySources = enterprises.Where(e => e.IsKeySource).ToList();
        var tasks = keySources.SelectMany((e, i) => Enumerable.Range(1, 4).Select(q =>
            SupervisoryTask.Planned(today.Year, q, e.Id, e.RegionId, Staff[i % Staff.Length], "市监测站 王强", nowUtc.AddDays(-300)))).ToList();
        db.SupervisoryTasks.AddRange(tasks);
        await db.SaveChangesAsync(ct);

        // Past quarters are done, except every ninth task (overdue); a sample in the middle of the quarter's last month.
        var currentQuarter = SupervisoryTask.QuarterOf(today);
        foreach (var (task, i) in tasks.Where(t => t.Quarter < currentQuarter).Select((t, i) => (t, i)))
        {
            if (i % 9 == 4) continue;
            var enterprise = keySources.Single(e => e.Id == task.EnterpriseId);
            var outlet = enterprise.Outlets.Where(o => o.Factors.Any(f => f.Limit > 0)).OrderBy(o => o.Code).FirstOrDefault();
            if (outlet is null) continue;
            var day = task.Due.AddDays(-15 + rng.Next(10));
            var sampled = BeijingTime.DayStartUtc(day).AddHours(2 + rng.Next(6));
            var values = outlet.Factors.Where(f => f.Limit > 0)
                .Select(f => new SampleValue(f.FactorCode, Math.Round((double)f.Limit!.Value * (0.35 + 0.4 * rng.NextDouble()), 2), (double)f.Limit.Value, null, 30)).ToList();
            var (sample, _) = SupervisorySample.Enter(task, outlet.Id, sampled, outlet.Medium == Medium.Water ? "HJ 828-2017 等" : "HJ 57-2017 等",
                $"QCJC-{today.Year}-{task.Quarter}{i + 1:000}", values, task.Responsible, sampled.AddDays(3));
            if (sample is not null) db.SupervisorySamples.Add(sample);
        }
        await db.SaveChangesAsync(ct);

        var issued = today.AddDays(-200);
        var (cod, _) = TreatmentList.Issue($"青环限治〔{issued.Year}〕3号", "化学需氧量超标企业限期治理名单", issued, "市总量办 李华", nowUtc);
        var (so2, _) = TreatmentList.Issue($"青环限治〔{issued.Year}〕4号", "燃煤锅炉二氧化硫超标限期治理名单", issued.AddDays(10), "市总量办 李华", nowUtc);
        db.TreatmentLists.AddRange(cod!, so2!);
        await db.SaveChangesAsync(ct);

        var water = enterprises.Where(e => e.Outlets.Any(o => o.Medium == Medium.Water && o.Factors.Any(f => f.FactorCode == "w01018" && f.Limit > 0))).Take(3).ToList();
        int[] codDays = [-1, 30, 90];
        var entries = water.Select((e, i) => TreatmentEntry.Add(cod!, e.Id, e.RegionId, "COD 超标", today.AddDays(codDays[i]),
            "新建污水深度处理设施，确保化学需氧量稳定达标排放，并与在线监控联网", "污水深度处理工程").Entry!).ToList();
        var boilers = enterprises.Where(e => e.CoalBoilers > 0 && !water.Contains(e)).Take(2).ToList();
        entries.AddRange(boilers.Select((e, i) => TreatmentEntry.Add(so2!, e.Id, e.RegionId, $"燃煤锅炉（{e.CoalBoilers}台）SO2 超标", today.AddDays(45 + 30 * i),
            "建设石灰石-石膏湿法脱硫设施，二氧化硫稳定达标", "锅炉烟气脱硫工程").Entry!));
        db.TreatmentEntries.AddRange(entries);
        await db.SaveChangesAsync(ct);

        foreach (var (entry, i) in entries.Select((e, i) => (e, i)))
        {
            db.TreatmentReports.Add(TreatmentProgress.Report(entry, 40, "主体设备已订货，土建基础完成", "现有处理设施正常运行", "企业环保负责人", nowUtc.AddDays(-60)).Progress!);
            db.TreatmentReports.Add(TreatmentProgress.Report(entry, i == 0 ? 100 : 70 + 5 * i, i == 0 ? "工程已完工并投入试运行" : "设备安装中", "正常运行", "县区环保局", nowUtc.AddDays(-10)).Progress!);
        }
        db.TreatmentChecks.Add(TreatmentCheck.Record(entries[0], today.AddDays(-20), "市环境监察支队 赵刚、县区环保局", "深度处理设施已建成试运行，出水感官良好，已责令尽快完成联网验收", "市环境监察支队 赵刚", nowUtc).Check!);
        await db.SaveChangesAsync(ct);
    }
}
