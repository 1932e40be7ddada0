namespace Zongliang.Domain.Notifications;

/// <summary>A message in a user's in-app inbox (站内消息).</summary>
public sealed class InboxMessage
{
    private InboxMessage() { }

    public InboxMessage(string userName, string subject, string body, string link, DateTime atUtc)
    {
        UserName = userName;
        Subject = Cut(subject, 200);
        Body = Cut(body, 2000);
        Link = Cut(link, 200);
        AtUtc = atUtc;
    }

    public long Id { get; private set; }
    public string UserName { get; private set; } = "";
    public string Subject { get; private set; } = "";
    public string Body { get; private set; } = "";
    /// <summary>A path inside the platform (e.g. /Warnings/Case/12).</summary>
    public string Link { get; private set; } = "";
    public DateTime AtUtc { get; private set; }
    public DateTime? ReadAtUtc { get; private set; }

    public void MarkRead(DateTime nowUtc) => ReadAtUtc ??= nowUtc;

    internal static string Cut(string s, int max) => s.Length <= max ? s : s[..max];
}

public enum OutboxChannel
{
    Email = 1,
    Sms = 2,
}

/// <summary>
/// An e-mail or SMS to send (发件箱). Written in the same transaction as the change it reports, and
/// delivered afterwards by the sender; without a configured SMTP server or SMS gateway it stays
/// here, readable by administrators, so nothing is lost and nothing is sent by surprise.
/// </summary>
public sealed class OutboxMessage
{
    private OutboxMessage() { }

    public OutboxMessage(OutboxChannel channel, string to, string subject, string body, DateTime atUtc)
    {
        Channel = channel;
        To = InboxMessage.Cut(to, 200);
        Subject = InboxMessage.Cut(subject, 200);
        Body = InboxMessage.Cut(body, 2000);
        QueuedAtUtc = atUtc;
    }

    public long Id { get; private set; }
    public OutboxChannel Channel { get; private set; }
    public string To { get; private set; } = "";
    public string Subject { get; private set; } = "";
    public string Body { get; private set; } = "";
    public DateTime QueuedAtUtc { get; private set; }
    public DateTime? SentAtUtc { get; private set; }
    public int Attempts { get; private set; }
    public string LastError { get; private set; } = "";
    /// <summary>
    /// Until when one sender (of possibly several instances on one database) holds the message: it claims
    /// it by setting this, in one conditional update, before sending, so no message goes out twice.
    /// </summary>
    public DateTime? ClaimedUntilUtc { get; private set; }

    public void Sent(DateTime nowUtc)
    {
        SentAtUtc = nowUtc;
        LastError = "";
    }

    public void Failed(string error)
    {
        Attempts++;
        LastError = InboxMessage.Cut(error, 500);
    }
}
