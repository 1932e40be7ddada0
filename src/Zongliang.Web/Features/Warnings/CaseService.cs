using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Access;
using Zongliang.Domain.Common;
using Zongliang.Domain.Warnings;

namespace Zongliang.Web.Features.Warnings;

/// <summary>Opening cases from warnings, telling the parties at each step, and escalating overdue cases.</summary>
public static class CaseService
{
    public static string Link(long caseId) => $"/Warnings/Case/{caseId}";

    /// <summary>Opens a case for the warning's enterprise, links the warning to it and tells the inspection section of the region.</summary>
    public static async Task<LinkageCase> OpenFromWarningAsync(ZongliangDbContext db, Warning w, string actor, DateTime nowUtc, CancellationToken ct)
    {
        var source = w.Kind == WarningKind.Suspicion ? CaseSource.Suspicion : CaseSource.Exceedance;
        var (c, outcome) = LinkageCase.Open(w.RegionId, w.EnterpriseId!.Value, w.OutletId, w.Id, source, w.Message, actor, nowUtc);
        if (!outcome.Succeeded) throw new InvalidOperationException(outcome.Error);
        db.LinkageCases.Add(c!);
        await db.SaveChangesAsync(ct);
        w.LinkTo(c!.Id);
        await NotifyAsync(db, c, "新的联动案件待指派", nowUtc, ct);
        await db.SaveChangesAsync(ct);
        return c;
    }

    /// <summary>Tells the parties of a case about a step: the inspection section of its region, the assignee, and the monitoring station when its confirmation is due.</summary>
    public static Task<int> NotifyAsync(ZongliangDbContext db, LinkageCase c, string what, DateTime nowUtc, CancellationToken ct)
    {
        string[] roles = c.State == CaseState.Handled ? [Roles.Inspection, Roles.MonitoringStation] : [Roles.Inspection];
        return Notifier.NotifyAsync(db, new Recipients(roles, c.RegionId, null, c.Assignee.Length > 0 ? [c.Assignee] : null),
            $"联动案件 {c.Id}：{what}", c.Subject, Link(c.Id), nowUtc, ct);
    }

    /// <summary>Escalates each case past its deadline once, telling the section (its head sees every case of the city) and the assignee.</summary>
    public static async Task<int> EscalateOverdueAsync(ZongliangDbContext db, DateTime nowUtc, CancellationToken ct)
    {
        var today = BeijingTime.Date(nowUtc);
        var late = await db.LinkageCases.Include(c => c.Steps)
            .Where(c => !c.Escalated && (c.State == CaseState.Assigned || c.State == CaseState.Checked) && c.Deadline < today).ToListAsync(ct);
        var count = 0;
        foreach (var c in late.Where(c => c.Escalate(nowUtc)))
        {
            await Notifier.NotifyAsync(db, new Recipients([Roles.Inspection, Roles.Supervision], c.RegionId, null, [c.Assignee]),
                $"联动案件 {c.Id} 已逾期（期限 {c.Deadline:yyyy-MM-dd}）", c.Subject, Link(c.Id), nowUtc, ct);
            count++;
        }
        await db.SaveChangesAsync(ct);
        return count;
    }
}
