using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Access;
using Zongliang.Domain.Notifications;

namespace Zongliang.Web.Features.Warnings;

/// <summary>Who is told: users of these roles whose region covers the subject's region, the subject enterprise's own users, and named users.</summary>
public sealed record Recipients(IReadOnlyList<string> Roles, int RegionId, int? EnterpriseId = null, IReadOnlyList<string>? UserNames = null);

/// <summary>
/// Tells the parties of a warning or a case: an inbox message for each user, and an e-mail and an
/// SMS in the outbox for those with an address or a phone number. Added to the caller's context,
/// so the messages commit with the change they report.
/// </summary>
public static class Notifier
{
    public static async Task<int> NotifyAsync(ZongliangDbContext db, Recipients who, string subject, string body, string link, DateTime nowUtc, CancellationToken ct)
    {
        var regionPath = await Staff.RegionPathAsync(db, who.RegionId, ct);
        var chosen = (await Staff.InRolesAsync(db, who.Roles, ct))
            .Where(u => u.Role == Roles.Enterprise ? who.EnterpriseId is { } e && u.EnterpriseId == e : u.Covers(regionPath))
            .Select(u => (User: u.UserName, u.Email, Phone: u.PhoneNumber)).ToList();
        if (who.UserNames is { Count: > 0 } names)
            chosen.AddRange((await db.Users.Where(u => names.Contains(u.UserName!)).Select(u => new { u.UserName, u.Email, u.PhoneNumber }).ToListAsync(ct))
                .Select(u => (User: u.UserName!, Email: (string?)u.Email, Phone: (string?)u.PhoneNumber)));
        var sent = 0;
        foreach (var (user, email, phone) in chosen.DistinctBy(c => c.User))
        {
            db.InboxMessages.Add(new InboxMessage(user, subject, body, link, nowUtc));
            if (!string.IsNullOrWhiteSpace(email))
                db.OutboxMessages.Add(new OutboxMessage(OutboxChannel.Email, email, subject, $"{body}\n\n{link}", nowUtc));
            if (!string.IsNullOrWhiteSpace(phone))
                db.OutboxMessages.Add(new OutboxMessage(OutboxChannel.Sms, phone, subject, subject, nowUtc));
            sent++;
        }
        return sent;
    }
}

/// <summary>A user of a role, with the path of the region it is bound to (null: none).</summary>
public sealed record StaffMember(string UserName, string DisplayName, string? Email, string? PhoneNumber, string Role, string? RegionPath, int? EnterpriseId)
{
    /// <summary>Whether the user's scope covers a region (its own region or one above it; everything for the province and administrators).</summary>
    public bool Covers(string regionPath) =>
        RegionPath is { } own ? regionPath.StartsWith(own, StringComparison.Ordinal) : Roles.SeesEverything(Role);
}

/// <summary>Who works where: the users of roles, for choosing whom to tell or to assign.</summary>
public static class Staff
{
    public static async Task<List<StaffMember>> InRolesAsync(ZongliangDbContext db, IReadOnlyList<string> roles, CancellationToken ct) =>
        await (from u in db.Users
               join ur in db.UserRoles on u.Id equals ur.UserId
               join r in db.Roles on ur.RoleId equals r.Id
               where roles.Contains(r.Name!)
               join g in db.Regions on u.RegionId equals g.Id into regions
               from g in regions.DefaultIfEmpty()
               select new StaffMember(u.UserName!, u.DisplayName, u.Email, u.PhoneNumber, r.Name!, g == null ? null : g.Path, u.EnterpriseId)).ToListAsync(ct);

    public static async Task<string> RegionPathAsync(ZongliangDbContext db, int regionId, CancellationToken ct) =>
        await db.Regions.Where(r => r.Id == regionId).Select(r => r.Path).FirstOrDefaultAsync(ct) ?? "";
}
