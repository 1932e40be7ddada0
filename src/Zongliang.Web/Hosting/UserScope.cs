using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Zongliang.Data;
using Zongliang.Data.Identity;
using Zongliang.Domain.Access;

namespace Zongliang.Web.Hosting;

/// <summary>Claims that carry a user's scope from sign-in to every request.</summary>
public static class ScopeClaims
{
    public const string RegionPath = "zl:region-path";
    public const string RegionName = "zl:region-name";
    public const string EnterpriseId = "zl:enterprise";
    public const string DisplayName = "zl:display-name";
    /// <summary>The user signed in with a password an administrator gave: every page leads to 修改密码 until he chose his own.</summary>
    public const string MustChangePassword = "zl:must-change-password";

    /// <summary>How a person is named on what they sign (审核人, 登记人 …): the display name, else the login.</summary>
    public static string Signer(this ClaimsPrincipal user) => user.FindFirstValue(DisplayName) ?? user.Identity?.Name ?? "";

    /// <summary>The one place where a user's role and region become an <see cref="AccessScope"/>.</summary>
    public static AccessScope ToScope(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true) return AccessScope.Nobody;
        var name = user.Identity.Name ?? "?";
        if (user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Province)) return AccessScope.AllRegions(name);
        if (user.IsInRole(Roles.Enterprise) && int.TryParse(user.FindFirstValue(EnterpriseId), out var enterprise))
            return AccessScope.SingleEnterprise(enterprise, name);
        var path = user.FindFirstValue(RegionPath);
        return Roles.All.Any(r => Roles.IsRegional(r) && user.IsInRole(r)) && !string.IsNullOrEmpty(path)
            ? AccessScope.Region(path, name)
            : AccessScope.Nobody;
    }
}

/// <summary>Adds the scope claims when a user signs in (and when the cookie is refreshed).</summary>
public sealed class ScopeClaimsFactory(
    UserManager<AppUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options, ZongliangDbContext db)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var id = await base.GenerateClaimsAsync(user);
        id.AddClaim(new Claim(ScopeClaims.DisplayName, user.DisplayName));
        if (user.RegionId is { } regionId)
        {
            var region = await db.Regions.AsNoTracking().FirstAsync(r => r.Id == regionId);
            id.AddClaim(new Claim(ScopeClaims.RegionPath, region.Path));
            id.AddClaim(new Claim(ScopeClaims.RegionName, region.Name));
        }
        if (user.EnterpriseId is { } enterpriseId)
            id.AddClaim(new Claim(ScopeClaims.EnterpriseId, enterpriseId.ToString()));
        if (user.MustChangePassword)
            id.AddClaim(new Claim(ScopeClaims.MustChangePassword, "true"));
        return id;
    }
}
