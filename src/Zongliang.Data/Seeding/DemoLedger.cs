using Zongliang.Domain.Quotas;
using Zongliang.Domain.Registry;

namespace Zongliang.Data.Seeding;

/// <summary>
/// The demo city's total-quota ledger for this year (COD and SO2): each county's target against last
/// year, its reduction measures (some confirmed, some pending, one closure overdue) and verified
/// projects in every status. Counties start within half a percent of their allowed total, so the
/// confirmed reductions decide; 河西区 confirmed none and is well over its target.
/// </summary>
public static class DemoLedger
{
    public static void Seed(ZongliangDbContext db, IReadOnlyList<Region> counties, IReadOnlyList<Enterprise> enterprises, DateOnly today, Random rng)
    {
        var year = today.Year;
        // 河西区 missed its target last year: under regional approval restriction, and one investor there under listed supervision.
        var hexi = counties.Single(c => c.Code == "950103");
        db.RegionRestrictions.Add(RegionRestriction.Impose(hexi.Id, $"青环限批〔{year}〕1号", "上年度主要污染物减排目标未完成，落后产能未按期关停", new DateOnly(year, 3, 1)).Restriction!);
        var listed = enterprises.FirstOrDefault(e => e.RegionId == hexi.Id);
        if (listed is not null)
            db.InvestorListings.Add(InvestorListing.List(hexi.Id, listed.Name, ListingKind.ListedSupervision, $"青环督〔{year}〕2号", "废水超标排放，限期整改", new DateOnly(year, 4, 15)).Listing!);
        foreach (var (county, index) in counties.Select((c, i) => (c, i)))
            foreach (var pollutant in new[] { "cod", "so2" })
            {
                var baseTotal = Math.Round((decimal)(pollutant == "cod" ? 800 + rng.NextDouble() * 2200 : 1500 + rng.NextDouble() * 4500), 1);
                var reduction = pollutant == "cod" ? 3m : 4m;
                var failing = county.Code == "950103";
                // Around the allowed total (±0.5 %), so confirmed reductions decide whether a county meets its target.
                var current = Math.Round(baseTotal * (failing ? 1.01m : 1 - reduction / 100 - 0.005m + (decimal)rng.NextDouble() * 0.01m), 1);
                db.RegionTargets.Add(new RegionTarget(county.Id, pollutant, year, year - 1, baseTotal, reduction, current, $"{year - 1}年环境统计"));

                var local = enterprises.Where(e => e.RegionId == county.Id).ToList();
                // Closures are of plants that no longer report; in 南湖县 the closed line's enterprise still reports data: a rebound.
                var closure = new ReductionMeasure(county.Id, county.Code == "950122" ? local.FirstOrDefault()?.Id : null, pollutant, year, MeasureType.Structural,
                    pollutant == "cod" ? "关停落后造纸生产线" : "拆除 10 蒸吨以下燃煤锅炉", Math.Round(baseTotal * 0.015m, 1), new DateOnly(year, 6, 30));
                if (!failing)
                    closure.Confirm(new DateOnly(year, 6, 20), "县环保局现场核查记录及关停验收单", today);
                db.ReductionMeasures.Add(closure);
                var works = new ReductionMeasure(county.Id, local.Skip(1).FirstOrDefault()?.Id, pollutant, year, MeasureType.Engineering,
                    pollutant == "cod" ? "污水处理厂提标改造" : "电厂脱硫设施增容改造", Math.Round(baseTotal * 0.01m, 1), new DateOnly(year, 12, 31));
                if (index % 3 == 0)
                    works.Confirm(new DateOnly(year, 9, 15), "工程竣工环保验收意见", today);
                db.ReductionMeasures.Add(works);
                db.ReductionMeasures.Add(new ReductionMeasure(county.Id, null, pollutant, year, MeasureType.Management, "排污许可证后监管、错峰生产",
                    Math.Round(baseTotal * 0.004m, 1), new DateOnly(year, 12, 31)));

                // Existing facilities' quotas (condition 6): generous, except one enterprise of 北山县 already over its quota.
                foreach (var e in local.Where(e => e.Outlets.Count > 0))
                    db.EnterpriseQuotas.Add(new EnterpriseQuota(e.Id, pollutant, year, county.Code == "950121" && e == local.First(x => x.Outlets.Count > 0) ? 0.01m : 500m,
                        $"排污许可证（{year}年）"));
                var statuses = new[] { IncrementStatus.Verified, IncrementStatus.UnderConstruction, IncrementStatus.Operating };
                for (var p = 0; p < 1 + index % 3; p++)
                    db.QuotaIncrements.Add(new QuotaIncrement(county.Id, $"{county.Name}{(pollutant == "cod" ? "食品加工" : "建材")}项目{p + 1}", pollutant, year,
                        Math.Round((decimal)(2 + rng.NextDouble() * 20), 2), statuses[(index + p) % 3], $"青环总量〔{year}〕{index * 3 + p + 1}号"));
            }
    }
}
