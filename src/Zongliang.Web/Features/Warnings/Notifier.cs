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
        var regionPath = await db.Regions.IgnoreQueryFilters().Where(r => r.Id == who.RegionId).Select(r => r.Path).FirstOrDefaultAsync(ct) ?? "";
        var roleUsers = await (from u in db.Users
                               join ur in db.UserRoles on u.Id equals ur.UserId
                               join r in db.Roles on ur.RoleId equals r.Id
                               where who.Roles.Contains(r.Name!)
                               select new { u.UserName, u.Email, u.PhoneNumber, u.RegionId, u.EnterpriseId, Role = r.Name }).ToListAsync(ct);
        var regionPaths = await db.Regions.IgnoreQueryFilters().ToDictionaryAsync(r => r.Id, r => r.Path, ct);
        var chosen = roleUsers.Where(u => u.Role == Roles.Enterprise
                ? who.EnterpriseId is { } e && u.EnterpriseId == e
                : u.RegionId is null ? Roles.SeesEverything(u.Role!) : regionPath.StartsWith(regionPaths.GetValueOrDefault(u.RegionId.Value, "\0"), StringComparison.Ordinal))
            .Select(u => (User: u.UserName!, Email: (string?)u.Email, Phone: (string?)u.PhoneNumber)).ToList();
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
