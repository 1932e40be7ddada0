using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Registry;

namespace Zongliang.Web.Features.Registry;

/// <summary>A page of a list, with what the pager needs.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public static async Task<Paged<T>> CreateAsync(IQueryable<T> query, int page, int pageSize, CancellationToken ct)
    {
        pageSize = Math.Clamp(pageSize, 1, 200);
        var total = await query.CountAsync(ct);
        page = Math.Clamp(page, 1, Math.Max(1, (total + pageSize - 1) / pageSize));
        var items = await query.Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return new Paged<T>(items, page, pageSize, total);
    }
}

/// <summary>The list filters shared by the registry pages and the API (all optional).</summary>
public sealed record RegistryFilter(int? RegionId = null, string? Q = null, int? EnterpriseId = null, DeviceState? State = null, Medium? Medium = null, int Page = 1, int PageSize = 20);

public static class RegistryQueries
{
    /// <summary>Regions the user may work with: its own and those below (regions themselves are public names).</summary>
    public static IQueryable<Region> ScopedRegions(ZongliangDbContext db)
    {
        var scope = db.Scope;
        if (scope.Everything) return db.Regions;
        if (scope.RegionPath is { } path) return db.Regions.Where(r => r.Path.StartsWith(path));
        if (scope.EnterpriseId is { } id) return db.Regions.Where(r => db.Enterprises.Any(e => e.Id == id && e.RegionId == r.Id));
        return db.Regions.Where(r => false);
    }

    /// <summary>County-level regions in scope, for filters and progress tables.</summary>
    public static Task<List<Region>> CountiesAsync(ZongliangDbContext db, CancellationToken ct) =>
        ScopedRegions(db)
            .Where(r => r.Kind == RegionKind.County || r.Kind == RegionKind.District || r.Kind == RegionKind.Zone)
            .OrderBy(r => r.Code).ToListAsync(ct);

    public static async Task<string?> RegionPathAsync(ZongliangDbContext db, int? regionId, CancellationToken ct) =>
        regionId is null ? null : await db.Regions.Where(r => r.Id == regionId).Select(r => r.Path).FirstOrDefaultAsync(ct) ?? "/none/";

    public static async Task<IQueryable<Enterprise>> EnterprisesAsync(ZongliangDbContext db, RegistryFilter f, CancellationToken ct)
    {
        IQueryable<Enterprise> q = db.Enterprises.Include(e => e.Region);
        if (await RegionPathAsync(db, f.RegionId, ct) is { } path) q = q.Where(e => e.Region.Path.StartsWith(path));
        if (!string.IsNullOrWhiteSpace(f.Q)) q = q.Where(e => e.Name.Contains(f.Q.Trim()) || e.CreditCode.Contains(f.Q.Trim().ToUpper()));
        return q.OrderBy(e => e.Region.Code).ThenBy(e => e.Name);
    }

    public static async Task<IQueryable<Outlet>> OutletsAsync(ZongliangDbContext db, RegistryFilter f, CancellationToken ct)
    {
        IQueryable<Outlet> q = db.Outlets.Include(o => o.Enterprise).ThenInclude(e => e.Region);
        if (await RegionPathAsync(db, f.RegionId, ct) is { } path) q = q.Where(o => o.Enterprise.Region.Path.StartsWith(path));
        if (f.EnterpriseId is { } eid) q = q.Where(o => o.EnterpriseId == eid);
        if (f.Medium is { } m) q = q.Where(o => o.Medium == m);
        if (!string.IsNullOrWhiteSpace(f.Q)) q = q.Where(o => o.Name.Contains(f.Q.Trim()) || o.Code.Contains(f.Q.Trim().ToUpper()) || o.Enterprise.Name.Contains(f.Q.Trim()));
        return q.OrderBy(o => o.Enterprise.Region.Code).ThenBy(o => o.Enterprise.Name).ThenBy(o => o.Code);
    }

    public static async Task<IQueryable<Device>> DevicesAsync(ZongliangDbContext db, RegistryFilter f, CancellationToken ct)
    {
        IQueryable<Device> q = db.Devices.Include(d => d.Outlet).ThenInclude(o => o.Enterprise).ThenInclude(e => e.Region);
        if (await RegionPathAsync(db, f.RegionId, ct) is { } path) q = q.Where(d => d.Outlet.Enterprise.Region.Path.StartsWith(path));
        if (f.EnterpriseId is { } eid) q = q.Where(d => d.Outlet.EnterpriseId == eid);
        if (f.State is { } s) q = q.Where(d => d.State == s);
        if (!string.IsNullOrWhiteSpace(f.Q)) q = q.Where(d => d.Mn.Contains(f.Q.Trim().ToUpper()) || d.Outlet.Enterprise.Name.Contains(f.Q.Trim()));
        return q.OrderBy(d => d.Outlet.Enterprise.Region.Code).ThenBy(d => d.Outlet.Enterprise.Name).ThenBy(d => d.Mn);
    }

    /// <summary>The M4 progress table: one row per county-level region in scope, then the total.</summary>
    public static async Task<(IReadOnlyList<DeviceProgressRow> Rows, DeviceProgressRow Total)> ProgressAsync(ZongliangDbContext db, CancellationToken ct)
    {
        var counties = await CountiesAsync(db, ct);
        var devices = await db.Devices.Select(d => new { d.Outlet.Enterprise.Region.Path, d.State }).ToListAsync(ct);
        var rows = DeviceProgress.ByCounty(counties.Select(c => (c.Id, c.Name, c.Path)), devices.Select(d => (d.Path, d.State)));
        return (rows, DeviceProgress.Total(rows, "合计"));
    }
}
