namespace Zongliang.Web.Hosting;

/// <summary>
/// What this instance does, from <c>Host:Role</c>: <c>all</c> (the default: one process does
/// everything), or any of <c>listener</c> (the HJ 212 port and the ingest writers), <c>web</c> (the
/// pages and the API) and <c>jobs</c> (aggregation, warning sweep, comparison schedule, outbox),
/// separated by commas. Instances with different roles share one PostgreSQL database; every role
/// answers <c>/health</c>.
/// </summary>
public sealed record HostRoles(bool Listener, bool Web, bool Jobs)
{
    public const string Key = "Host:Role";

    public static readonly HostRoles All = new(true, true, true);

    public static HostRoles From(IConfiguration config)
    {
        var text = config[Key];
        if (string.IsNullOrWhiteSpace(text)) return All;
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.ToLowerInvariant()).ToList();
        var unknown = parts.Where(p => p is not ("all" or "listener" or "web" or "jobs")).ToList();
        if (unknown.Count > 0 || parts.Count == 0)
            throw new InvalidOperationException($"{Key} is \"{text}\": give all, or any of listener, web, jobs separated by commas");
        if (parts.Contains("all")) return All;
        return new HostRoles(parts.Contains("listener"), parts.Contains("web"), parts.Contains("jobs"));
    }

    public override string ToString() => this == All ? "all" : string.Join(",", new[] { Listener ? "listener" : null, Web ? "web" : null, Jobs ? "jobs" : null }.OfType<string>());
}
