using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Common;
using Zongliang.Domain.Monitoring.Comparison;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Monitoring;

/// <summary>比对监测: the comparison tasks of the user's region, overdue ones first.</summary>
[Authorize(Policy = Policies.DataAudit)]
public sealed class ComparisonsModel(ZongliangDbContext db, TimeProvider clock) : PageModel
{
    public sealed record Row(int Id, int OutletId, string Region, string Enterprise, string Outlet, string Label, DateOnly Due, ComparisonState State,
        ComparisonKind Kind, string AssignedTo, bool Overdue);

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public string Show { get; private set; } = "";
    public DateOnly Today { get; private set; }

    public async Task OnGetAsync(string? show, CancellationToken ct)
    {
        Today = BeijingTime.Today(clock);
        Show = show is "open" or "overdue" or "passed" or "failed" ? show : "";
        var today = Today;
        var tasks = db.ComparisonTasks.AsNoTracking();
        tasks = Show switch
        {
            "open" => tasks.Where(t => t.State == ComparisonState.Open),
            "overdue" => tasks.Where(t => t.State == ComparisonState.Open && t.Due < today),
            "passed" => tasks.Where(t => t.State == ComparisonState.Passed),
            "failed" => tasks.Where(t => t.State == ComparisonState.Failed),
            _ => tasks,
        };
        var rows = await (from t in tasks
                          join o in db.Outlets on t.OutletId equals o.Id
                          select new Row(t.Id, o.Id, o.Enterprise.Region.Name, o.Enterprise.Name, o.Code + " " + o.Name, t.Label, t.Due, t.State, t.Kind,
                              t.AssignedTo, t.State == ComparisonState.Open && t.Due < today))
            .Take(1000).ToListAsync(ct);
        Rows = rows.OrderByDescending(r => r.Overdue).ThenBy(r => r.State).ThenBy(r => r.Due).ThenBy(r => r.OutletId).ToList();
    }
}
