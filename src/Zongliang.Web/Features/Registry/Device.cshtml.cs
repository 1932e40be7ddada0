using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Common;
using Zongliang.Domain.Registry;
using Zongliang.Web.Hosting;

namespace Zongliang.Web.Features.Registry;

public sealed class DeviceModel(ZongliangDbContext db, RegistryEditor editor, IAuthorizationService auth, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<Ingestion.Hj212Options> hj212) : RegistryEditPage
{
    public Zongliang.Domain.Monitoring.DeviceStatus? Status { get; private set; }
    public bool Online { get; private set; }
    public IReadOnlyList<Zongliang.Domain.Monitoring.RawPacket> Recent { get; private set; } = [];
    /// <summary>The logger's last clock report (1011): when it came, and how far off the platform's clock it was (null: unreadable).</summary>
    public (DateTime ReceivedUtc, TimeSpan? Offset)? Clock { get; private set; }
    /// <summary>The device's last run of packets with impossible DataTimes (kept out of the readings), or null.</summary>
    public Zongliang.Domain.Monitoring.DeviceClockFault? ClockFault { get; private set; }
    public bool ClockFaultCurrent => ClockFault?.IsCurrent(clock.GetUtcNow().UtcDateTime) == true;
    /// <summary>Beyond this the listener sets the logger's clock (1012).</summary>
    public TimeSpan ClockTolerance => hj212.Value.ClockTolerance;
    /// <summary>The comparison tests of the device's outlet, newest first (比对监测记录).</summary>
    public IReadOnlyList<Zongliang.Domain.Monitoring.Comparison.ComparisonTask> Comparisons { get; private set; } = [];

    [BindProperty] public MilestoneInput Input { get; set; } = new();
    public Device Item { get; private set; } = null!;
    public bool CanAdvance { get; private set; }
    public bool CanEdit { get; private set; }
    /// <summary>Whether the comparison pages open for this user (the data-audit roles); else the batches are shown without links.</summary>
    public bool CanOpenComparisons { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Input.Date = BeijingTime.Today(clock);
        Input.By = User.FindFirst(ScopeClaims.DisplayName)?.Value ?? "";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!CanAdvance) return Forbid();
        if (!ModelState.IsValid) return Page();
        var label = Device.StateActionLabel(Input.Milestone);
        var result = await editor.AdvanceDeviceAsync(id, Input, ct);
        if (!result.Succeeded) await LoadAsync(id, ct);
        return Saved(result, $"已登记{label}", "/Registry/Device/{key}");
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var d = await db.Devices.AsNoTracking().Include(x => x.Outlet).ThenInclude(o => o.Enterprise).ThenInclude(e => e.Region)
            .FirstOrDefaultAsync(x => x.Id == id, ct);
        if (d is null) return false;
        Item = d;
        Status = await db.DeviceStatuses.AsNoTracking().FirstOrDefaultAsync(x => x.DeviceId == id, ct);
        Online = Zongliang.Domain.Monitoring.DeviceStatus.IsOnline(Status?.LastSeenUtc, clock.GetUtcNow().UtcDateTime, hj212.Value.OfflineAfter);
        Recent = await db.RawPackets.AsNoTracking().Where(p => p.DeviceId == id).OrderByDescending(p => p.Seq).Take(10).ToListAsync(ct);
        // The filter is written as the clock-report index's (a constant, not a parameter), so that index answers it.
        var report = await db.RawPackets.AsNoTracking().Where(p => p.DeviceId == id && p.Cn == 1011).OrderByDescending(p => p.Seq)
            .Select(p => new { p.ReceivedAtUtc, p.Frame }).FirstOrDefaultAsync(ct);
        Clock = report is null ? null : (report.ReceivedAtUtc, Ingestion.LoggerClock.Offset(report.Frame, report.ReceivedAtUtc));
        ClockFault = await db.DeviceClockFaults.AsNoTracking().FirstOrDefaultAsync(f => f.DeviceId == id, ct);
        var outletId = Item.OutletId;
        Comparisons = await db.ComparisonTasks.AsNoTracking().Include(t => t.Results).Where(t => t.OutletId == outletId)
            .OrderByDescending(t => t.Due).ToListAsync(ct);
        CanAdvance = (await auth.AuthorizeAsync(User, Policies.DeviceLifecycle)).Succeeded;
        CanEdit = (await auth.AuthorizeAsync(User, Policies.RegistryWrite)).Succeeded;
        CanOpenComparisons = (await auth.AuthorizeAsync(User, Policies.DataAudit)).Succeeded;
        return true;
    }
}
