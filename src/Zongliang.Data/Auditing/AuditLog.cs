using System.Text.Json;

namespace Zongliang.Data.Auditing;

/// <summary>
/// Events that change no row but belong in the audit log (M: who did what, when): sign-ins and their
/// failures, refusals by the sign-in throttle, warning dismissals, uploads and exports. Changes to rows
/// are logged by <see cref="ZongliangDbContext"/> itself.
/// </summary>
public static class AuditLog
{
    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    /// <summary>Adds an event to the context (saved with the caller's next save, or at once with <see cref="WriteAsync"/>).</summary>
    public static AuditEntry Add(ZongliangDbContext db, DateTime atUtc, string actor, string entity, string key, string action, object? details = null)
    {
        var entry = new AuditEntry
        {
            AtUtc = atUtc,
            Actor = Cut(actor, 64),
            Entity = Cut(entity, 64),
            Key = Cut(key, 160),
            Action = Cut(action, 16),
            Before = "{}",
            After = details is null ? "{}" : JsonSerializer.Serialize(details, Json),
        };
        db.AuditEntries.Add(entry);
        return entry;
    }

    /// <summary>Adds an event and saves it.</summary>
    public static async Task WriteAsync(ZongliangDbContext db, DateTime atUtc, string actor, string entity, string key, string action, object? details = null,
        CancellationToken ct = default)
    {
        Add(db, atUtc, actor, entity, key, action, details);
        await db.SaveChangesAsync(ct);
    }

    private static string Cut(string s, int max) => s.Length <= max ? s : s[..max];
}
