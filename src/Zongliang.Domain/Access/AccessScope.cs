namespace Zongliang.Domain.Access;

/// <summary>
/// What part of the registry a user may see and change. Computed once per request from the user's
/// role and region; the data layer applies it to every query and every write (one place).
/// </summary>
public sealed record AccessScope
{
    private AccessScope(bool everything, string? regionPath, int? enterpriseId, string actor)
    {
        Everything = everything;
        RegionPath = regionPath;
        EnterpriseId = enterpriseId;
        Actor = actor;
    }

    /// <summary>Sees every region (province office, administrators, system jobs).</summary>
    public bool Everything { get; }

    /// <summary>Materialized path of the user's region; the user sees this region and below.</summary>
    public string? RegionPath { get; }

    /// <summary>For enterprise users: the one enterprise they see.</summary>
    public int? EnterpriseId { get; }

    /// <summary>Who acts, for the audit log.</summary>
    public string Actor { get; }

    public static AccessScope System(string actor = "system") => new(true, null, null, actor);

    public static AccessScope AllRegions(string actor) => new(true, null, null, actor);

    public static AccessScope Region(string regionPath, string actor) =>
        new(false, regionPath ?? throw new ArgumentNullException(nameof(regionPath)), null, actor);

    public static AccessScope SingleEnterprise(int enterpriseId, string actor) => new(false, null, enterpriseId, actor);

    /// <summary>Anonymous visitors see no registry records (public pages only).</summary>
    public static AccessScope Nobody { get; } = new(false, null, null, "anonymous");

    /// <summary>Whether a record located in the region with this path is inside the scope.</summary>
    public bool CoversRegion(string regionPath) =>
        Everything || (RegionPath is not null && regionPath.StartsWith(RegionPath, StringComparison.Ordinal));
}
