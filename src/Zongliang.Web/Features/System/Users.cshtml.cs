using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Access;
using Zongliang.Domain.Common;

namespace Zongliang.Web.Features.System;

public sealed class UsersModel(ZongliangDbContext db) : PageModel
{
    public sealed record Row(string UserName, string DisplayName, string Roles, string Scope, string State, string LockedUntil);

    public IReadOnlyList<Row> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var users = await db.Users.OrderBy(u => u.UserName).ToListAsync(ct);
        var roles = await db.UserRoles.Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name }).ToListAsync(ct);
        var regions = await db.Regions.ToDictionaryAsync(r => r.Id, r => r.Name, ct);
        var enterprises = await db.Enterprises.IgnoreQueryFilters().Where(e => users.Select(u => u.EnterpriseId).Contains(e.Id)).ToDictionaryAsync(e => e.Id, e => e.Name, ct);
        Items = users.Select(u => new Row(
            u.UserName ?? "", u.DisplayName,
            string.Join("、", roles.Where(r => r.UserId == u.Id).Select(r => Roles.Label(r.Name ?? ""))),
            u.RegionId is { } rid ? regions.GetValueOrDefault(rid, "?") : u.EnterpriseId is { } eid ? enterprises.GetValueOrDefault(eid, "?") : "全部",
            u.Disabled ? "已停用" : u.MustChangePassword ? "待修改密码" : "正常",
            u.LockoutEnd is { } end && end > DateTimeOffset.UtcNow ? BeijingTime.Format(end.UtcDateTime) : "")).ToList();
    }
}
