using Microsoft.AspNetCore.Identity;

namespace Zongliang.Data.Identity;

/// <summary>A platform user: one role (stored as an Identity role) and the region or enterprise it is bound to.</summary>
public sealed class AppUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>For regional roles: the region the user works for (it sees this region and below).</summary>
    public int? RegionId { get; set; }

    /// <summary>For enterprise users: their enterprise.</summary>
    public int? EnterpriseId { get; set; }
}
