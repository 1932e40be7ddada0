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

    /// <summary>Set when an administrator created the account or reset its password: the user must choose a password of his own at the next sign-in.</summary>
    public bool MustChangePassword { get; set; }

    /// <summary>停用: the account cannot sign in (it stays, with its history, for the audit log).</summary>
    public bool Disabled { get; set; }
}
