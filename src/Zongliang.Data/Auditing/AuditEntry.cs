namespace Zongliang.Data.Auditing;

/// <summary>One change of one record: who, when, what, and the values before and after (JSON objects).</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTime AtUtc { get; set; }

    public string Actor { get; set; } = "";

    /// <summary>Entity type name, e.g. "Enterprise", "Device".</summary>
    public string Entity { get; set; } = "";

    /// <summary>Primary key of the record, as text.</summary>
    public string Key { get; set; } = "";

    /// <summary>Added, Modified or Deleted.</summary>
    public string Action { get; set; } = "";

    /// <summary>Changed properties' old values (for Added: empty object).</summary>
    public string Before { get; set; } = "{}";

    /// <summary>Changed properties' new values (for Deleted: empty object).</summary>
    public string After { get; set; } = "{}";
}
