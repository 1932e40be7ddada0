using Zongliang.Domain.Common;

namespace Zongliang.Domain.Registry;

/// <summary>
/// Lifecycle of a site-end (现场端) and its data logger: "安装一个、验收一个、联网一个" (M4).
/// Each milestone is reached in order, one step at a time.
/// </summary>
public enum DeviceState
{
    /// <summary>Registered in the plan, not yet installed (已登记).</summary>
    Registered = 0,
    Installed = 1,
    Accepted = 2,
    Networked = 3,
}

/// <summary>A site-end device with its data logger, identified in HJ 212 traffic by its MN and PW.</summary>
public sealed class Device
{
    private Device() { }

    public Device(Outlet outlet, string mn, string accessPassword, DateTime registeredAtUtc)
    {
        Outlet = outlet;
        OutletId = outlet.Id;
        Mn = mn.Trim().ToUpperInvariant();
        AccessPassword = accessPassword.Trim();
        RegisteredAtUtc = registeredAtUtc;
    }

    public int Id { get; private set; }

    public int OutletId { get; private set; }

    public Outlet Outlet { get; private set; } = null!;

    /// <summary>
    /// Device identifier (MN). HJ 212-2017 §6.3.2: 24 characters 0–9/A–F from an EPC-96 code;
    /// loggers still on HJ/T 212-2005 send up to 14 characters.
    /// </summary>
    public string Mn { get; private set; } = "";

    /// <summary>Access password (PW), at most 6 characters (HJ 212-2017 table 2: "PW=" + 6).</summary>
    public string AccessPassword { get; set; } = "";

    public string Manufacturer { get; set; } = "";

    public string Model { get; set; } = "";

    public DeviceState State { get; private set; }

    public DateTime RegisteredAtUtc { get; private set; }

    public DateOnly? InstalledOn { get; private set; }
    public string? InstalledBy { get; private set; }

    public DateOnly? AcceptedOn { get; private set; }
    public string? AcceptedBy { get; private set; }

    public DateOnly? NetworkedOn { get; private set; }
    public string? NetworkedBy { get; private set; }

    public static bool IsValidMn(string? mn) =>
        mn is { Length: >= 1 and <= 24 } && mn.All(char.IsAsciiLetterOrDigit);

    public static bool IsValidAccessPassword(string? pw) =>
        pw is { Length: >= 1 and <= 6 } && pw.All(char.IsAsciiLetterOrDigit);

    /// <summary>Moves the device to another outlet (a logger re-assigned in the field); its milestones stay.</summary>
    public void MoveTo(Outlet outlet)
    {
        Outlet = outlet;
        OutletId = outlet.Id;
    }

    public void ChangeMn(string mn) => Mn = mn.Trim().ToUpperInvariant();

    /// <summary>The milestone that comes next, or null when the device is networked.</summary>
    public DeviceState? NextState => State == DeviceState.Networked ? null : State + 1;

    /// <summary>
    /// Records the next milestone. Refused when it is not the next one, when its date lies in the
    /// future (Beijing date of <paramref name="nowUtc"/>) or before the previous milestone.
    /// </summary>
    public Outcome Advance(DeviceState milestone, DateOnly date, string by, DateTime nowUtc)
    {
        if (milestone != NextState)
            return NextState is null
                ? Outcome.Refuse("设备已联网，生命周期已完成")
                : Outcome.Refuse($"当前应先{StateActionLabel(NextState.Value)}，不能直接{StateActionLabel(milestone)}");
        if (string.IsNullOrWhiteSpace(by))
            return Outcome.Refuse("请填写经办人", "By");
        var today = BeijingTime.Date(nowUtc);
        if (date > today)
            return Outcome.Refuse("日期不能晚于今天", "Date");
        var registered = BeijingTime.Date(RegisteredAtUtc);
        if (date < registered)
            return Outcome.Refuse($"日期不能早于设备登记日期（{registered:yyyy-MM-dd}）", "Date");
        var previous = PreviousMilestoneDate;
        if (previous is not null && date < previous)
            return Outcome.Refuse($"日期不能早于上一环节（{previous:yyyy-MM-dd}）", "Date");

        by = by.Trim();
        switch (milestone)
        {
            case DeviceState.Installed: InstalledOn = date; InstalledBy = by; break;
            case DeviceState.Accepted: AcceptedOn = date; AcceptedBy = by; break;
            case DeviceState.Networked: NetworkedOn = date; NetworkedBy = by; break;
        }
        State = milestone;
        return Outcome.Ok();
    }

    private DateOnly? PreviousMilestoneDate => State switch
    {
        DeviceState.Installed => InstalledOn,
        DeviceState.Accepted => AcceptedOn,
        DeviceState.Networked => NetworkedOn,
        _ => null,
    };

    public static string StateLabel(DeviceState state) => state switch
    {
        DeviceState.Registered => "已登记",
        DeviceState.Installed => "已安装",
        DeviceState.Accepted => "已验收",
        DeviceState.Networked => "已联网",
        _ => state.ToString(),
    };

    public static string StateActionLabel(DeviceState state) => state switch
    {
        DeviceState.Installed => "安装",
        DeviceState.Accepted => "验收",
        DeviceState.Networked => "联网",
        _ => "登记",
    };
}
