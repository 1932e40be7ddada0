using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Access;
using Zongliang.Domain.Common;
using Zongliang.Domain.Quotas;
using Zongliang.Domain.Registry;

namespace Zongliang.Web.Features.Quotas;

/// <summary>What a reviewer sees for one pollutant: the region's ledger before the project and the headroom after it.</summary>
public sealed record PollutantAnalysis(string Pollutant, decimal Applied, LedgerLine? Line, decimal? HeadroomAfter, decimal Offsets, decimal Ratio)
{
    /// <summary>Offsets the project needs: applied tonnes × the region's offset ratio.</summary>
    public decimal RequiredOffsets => Math.Round(Applied * Ratio, 3);

    public bool OffsetsSuffice => Offsets >= RequiredOffsets;
}

/// <summary>The automatic analysis in front of every reviewer (Q3, Q4): the ledger per pollutant and every refusal condition with its evidence.</summary>
public sealed record Analysis(IReadOnlyList<PollutantAnalysis> Pollutants, IReadOnlyList<RefusalFinding> Findings)
{
    public bool Blocked => Findings.Any(f => f.Holds);
}

/// <summary>
/// The verification workflow on the platform: routing by the rule file, the analysis from the ledger
/// and the registers, reviews by the offices in turn, and the numbered document with the verified
/// totals entering the region's ledger as increments.
/// </summary>
public sealed class VerificationService(QuotaRouting routing, OffsetRatios ratios, IServiceScopeFactory scopes, TimeProvider clock)
{
    public QuotaRouting Routing => routing;

    /// <summary>
    /// Files an application with the reduction measures it names as offsets, reserving each amount:
    /// an amount serves one project only. When another submission reserved from the same measure a
    /// moment before (the used amount is a concurrency token), the whole submission is tried again on
    /// fresh figures, so two projects never both get the last tonnes.
    /// </summary>
    public async Task<Outcome> SubmitAsync(Func<VerificationApplication> create, IReadOnlyList<(int MeasureId, decimal Tonnes)> offsets, AccessScope scope, Action<int> created, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            await using var s = scopes.CreateAsyncScope();
            s.ServiceProvider.GetRequiredService<ScopeAccessor>().Scope = scope;
            var db = s.ServiceProvider.GetRequiredService<ZongliangDbContext>();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var application = create();
            db.VerificationApplications.Add(application);
            await db.SaveChangesAsync(ct);
            foreach (var (measureId, tonnes) in offsets)
            {
                var measure = await db.ReductionMeasures.FirstOrDefaultAsync(m => m.Id == measureId, ct);
                if (measure is null)
                    return Outcome.Refuse("所选削减措施不存在或不在本辖区", "OffsetMeasureId");
                var reserved = measure.Reserve(tonnes);
                if (!reserved.Succeeded)
                    return reserved;
                db.QuotaOffsets.Add(new QuotaOffset(application.Id, measure.Id, measure.Pollutant, tonnes));
            }
            try
            {
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                created(application.Id);
                return Outcome.Ok();
            }
            catch (DbUpdateException) // a concurrency conflict, or the database's check refusing more than the amount
            {
                await tx.RollbackAsync(ct);
                await Task.Delay(Random.Shared.Next(5, 50), ct);
            }
        }
        return Outcome.Refuse("削减量正被其他申请占用，请稍后重试", "OffsetTonnes");
    }

    public async Task<Analysis> AnalyseAsync(ZongliangDbContext db, VerificationApplication application, CancellationToken ct)
    {
        var today = BeijingTime.Today(clock);
        var region = application.RegionId;
        var restrictions = await db.RegionRestrictions.AsNoTracking().Where(r => r.RegionId == region).ToListAsync(ct);
        var measures = await db.ReductionMeasures.AsNoTracking().Where(m => m.RegionId == region && m.Year == today.Year).ToListAsync(ct);
        var increments = await db.QuotaIncrements.AsNoTracking().Where(i => i.RegionId == region && i.Year == today.Year).ToListAsync(ct);
        var targets = await db.RegionTargets.AsNoTracking().Where(t => t.RegionId == region && t.Year == today.Year).ToListAsync(ct);
        var offsets = await db.QuotaOffsets.AsNoTracking().Where(o => o.ApplicationId == application.Id).ToListAsync(ct);
        var regionCode = await db.Regions.Where(r => r.Id == region).Select(r => r.Code).FirstAsync(ct);
        var pollutants = new List<PollutantAnalysis>();
        var findings = new List<RefusalFinding>();
        foreach (var amount in application.Amounts)
        {
            var target = targets.FirstOrDefault(t => t.Pollutant == amount.Pollutant);
            if (target is null)
            {
                pollutants.Add(new PollutantAnalysis(amount.Pollutant, amount.Tonnes, null, null, 0, 0));
                findings.Add(new RefusalFinding(1, RefusalChecks.Titles[1], true, $"{Pollutants.Label(amount.Pollutant)}：本区域{today.Year}年没有总量目标，无法分析对减排任务的影响"));
                continue;
            }
            var line = LedgerLine.For(target, increments, measures);
            var offered = offsets.Where(o => o.Pollutant == amount.Pollutant).Sum(o => o.Tonnes);
            pollutants.Add(new PollutantAnalysis(amount.Pollutant, amount.Tonnes, line, line.Headroom - amount.Tonnes, offered,
                ratios.RatioFor(regionCode, amount.Pollutant, line.TargetMet)));
            findings.AddRange(RefusalChecks.ForRegion(line, amount.Tonnes, restrictions, measures, today,
                    await RefusalEvidence.ReboundsAsync(db, measures.Where(m => m.Pollutant == amount.Pollutant), ct))
                .Select(f => f with { Evidence = $"{Pollutants.Label(amount.Pollutant)}：{f.Evidence}" }));
        }
        // Conditions 2–4 are about the region: one line each, holding if it holds for any pollutant.
        var merged = findings.GroupBy(f => f.Condition)
            .Select(g => new RefusalFinding(g.Key, g.First().Title, g.Any(f => f.Holds), string.Join("；", g.Select(f => f.Evidence).Distinct())))
            .ToList();
        var listings = await db.InvestorListings.AsNoTracking().IgnoreQueryFilters().Where(l => l.Investor == application.Investor).ToListAsync(ct);
        merged.Add(RefusalChecks.ForInvestor(application.Investor, listings, today));
        merged.Add(RefusalChecks.ForFacilities(await RefusalEvidence.FacilitiesAsync(db, application.Investor, today.Year, ct)));
        return new Analysis(pollutants, merged.OrderBy(f => f.Condition).ToList());
    }

    /// <summary>The current office decides; after the last agreement the document is numbered and the totals enter the ledger.</summary>
    public async Task<Outcome> ReviewAsync(ZongliangDbContext db, VerificationApplication application, string office, ReviewDecision decision, string? opinion,
        string signer, CancellationToken ct)
    {
        var analysis = await AnalyseAsync(db, application, ct);
        var outcome = application.Review(office, decision, opinion, signer, clock.GetUtcNow().UtcDateTime, analysis.Findings);
        if (!outcome.Succeeded)
            return outcome;
        await db.SaveChangesAsync(ct);
        return application.State == ApplicationState.Approved ? await IssueAsync(application.Id, db.Scope, ct) : Outcome.Ok();
    }

    /// <summary>
    /// Numbers the document: the next number of the issuing office's year, taken in a transaction;
    /// when another issue took the same number first (the unique index refuses it), tries again.
    /// </summary>
    public async Task<Outcome> IssueAsync(int applicationId, AccessScope scope, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            await using var s = scopes.CreateAsyncScope();
            s.ServiceProvider.GetRequiredService<ScopeAccessor>().Scope = scope;
            var db = s.ServiceProvider.GetRequiredService<ZongliangDbContext>();
            var application = await db.VerificationApplications.Include(a => a.Amounts).FirstAsync(a => a.Id == applicationId, ct);
            if (application.State == ApplicationState.Issued)
                return Outcome.Ok();
            var issuer = await IssuerRegionAsync(db, application, ct);
            var now = clock.GetUtcNow().UtcDateTime;
            var year = BeijingTime.Today(clock).Year;
            var last = await db.VerificationApplications.IgnoreQueryFilters()
                .Where(a => a.IssuerRegionId == issuer.Id && a.DocumentYear == year).MaxAsync(a => a.DocumentNumber, ct) ?? 0;
            var outcome = application.Issue(issuer.Id, year, last + 1, now);
            if (!outcome.Succeeded)
                return outcome;
            var text = application.DocumentText(Prefix(issuer))!;
            var county = await db.Regions.AsNoTracking().FirstAsync(r => r.Id == application.RegionId, ct);
            var issuedOn = BeijingTime.Today(clock);
            db.IssuedDocuments.Add(new IssuedDocument(application.Id, text, VerificationDocument.OfficeName(issuer), issuedOn,
                VerificationDocument.Render(application, VerificationDocument.OfficeName(issuer), text,
                    application.Issuer == "county" ? application.Investor : VerificationDocument.OfficeName(county), issuedOn)));
            foreach (var amount in application.Amounts)
                db.QuotaIncrements.Add(new QuotaIncrement(application.RegionId, application.Project, amount.Pollutant, year, amount.Tonnes, IncrementStatus.Verified, text));
            try
            {
                await db.SaveChangesAsync(ct);
                return Outcome.Ok();
            }
            catch (DbUpdateException)
            {
                // Someone issued the same number a moment ago: take the next one.
                await Task.Delay(Random.Shared.Next(5, 50), ct);
            }
        }
        return Outcome.Refuse("文号分配失败，请稍后重试");
    }

    /// <summary>The region whose office issues: the county itself, its city, or the city's province.</summary>
    public static async Task<Region> IssuerRegionAsync(ZongliangDbContext db, VerificationApplication application, CancellationToken ct)
    {
        var region = await db.Regions.AsNoTracking().FirstAsync(r => r.Id == application.RegionId, ct);
        var steps = application.Issuer switch { "city" => 1, "province" => 2, _ => 0 };
        for (var i = 0; i < steps && region.ParentId is { } parent; i++)
            region = await db.Regions.AsNoTracking().FirstAsync(r => r.Id == parent, ct);
        return region;
    }

    /// <summary>The document prefix of an issuing office: the first character of a province or city name, the first two of a county's, then 环总量核.</summary>
    public static string Prefix(Region issuer) =>
        (issuer.Kind is RegionKind.Province or RegionKind.City ? issuer.Name[..1] : issuer.Name[..Math.Min(2, issuer.Name.Length)]) + "环总量核";

    /// <summary>The office a signed-in user reviews for, by role; administrators may act for any office.</summary>
    public static bool ActsFor(ClaimsPrincipal user, string office) =>
        user.IsInRole(Roles.Admin) || office switch
        {
            "county" => user.IsInRole(Roles.County),
            "city" => user.IsInRole(Roles.CityOffice),
            "province" => user.IsInRole(Roles.Province),
            _ => false,
        };
}
