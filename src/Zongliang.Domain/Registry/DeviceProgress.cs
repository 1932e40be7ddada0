namespace Zongliang.Domain.Registry;

/// <summary>One row of the progress table by county (M4): how far the site-ends of a county have come.</summary>
public sealed record DeviceProgressRow(int RegionId, string RegionName, int Total, int Installed, int Accepted, int Networked)
{
    /// <summary>Networked share of all registered devices, 0–1; 0 when the county has none.</summary>
    public decimal NetworkRate => Total == 0 ? 0m : Math.Round((decimal)Networked / Total, 4);
}

public static class DeviceProgress
{
    /// <summary>
    /// Counts devices per county-level region. A device at a milestone has passed the earlier ones,
    /// so "installed" counts every device installed, accepted or networked.
    /// </summary>
    /// <param name="counties">County-level regions: id, name and path.</param>
    /// <param name="devices">Each device's region path (its enterprise's region) and state.</param>
    public static IReadOnlyList<DeviceProgressRow> ByCounty(
        IEnumerable<(int Id, string Name, string Path)> counties,
        IEnumerable<(string RegionPath, DeviceState State)> devices)
    {
        var list = devices.ToList();
        return counties
            .Select(c =>
            {
                var mine = list.Where(d => d.RegionPath.StartsWith(c.Path, StringComparison.Ordinal)).ToList();
                return new DeviceProgressRow(c.Id, c.Name, mine.Count,
                    mine.Count(d => d.State >= DeviceState.Installed),
                    mine.Count(d => d.State >= DeviceState.Accepted),
                    mine.Count(d => d.State >= DeviceState.Networked));
            })
            .ToList();
    }

    /// <summary>The total row: sums of the county rows.</summary>
    public static DeviceProgressRow Total(IEnumerable<DeviceProgressRow> rows, string name)
    {
        var r = rows.ToList();
        return new DeviceProgressRow(0, name, r.Sum(x => x.Total), r.Sum(x => x.Installed), r.Sum(x => x.Accepted), r.Sum(x => x.Networked));
    }
}
