using System.Net;
using System.Net.Mail;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Domain.Access;
using Zongliang.Domain.Notifications;

namespace Zongliang.Web.Features.Warnings;

/// <summary>
/// Delivers the outbox every 30 s: e-mail through the SMTP server of Smtp:Host (Port, From, User,
/// Password, EnableSsl), SMS by POSTing {"to","text"} as JSON to the gateway at Sms:Url. Without
/// those settings the messages stay in the outbox, unsent, for an administrator to see. A message
/// that fails is tried again, at most 5 times, with its last error kept.
/// </summary>
public sealed class OutboxSender(IServiceScopeFactory scopes, IConfiguration config, TimeProvider clock, IHttpClientFactory http, ILogger<OutboxSender> log) : BackgroundService
{
    public const int MaxAttempts = 5;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var smtp = config["Smtp:Host"];
        var sms = config["Sms:Url"];
        if (string.IsNullOrWhiteSpace(smtp) && string.IsNullOrWhiteSpace(sms))
        {
            log.LogInformation("No SMTP server or SMS gateway is configured: e-mails and SMS stay in the outbox");
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30), clock);
        do
        {
            try
            {
                await SendDueAsync(smtp, sms, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogError(ex, "Sending the outbox failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>How long a claim holds: a sender that died mid-send leaves the message to another after this.</summary>
    public static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(5);

    /// <summary>Sends what is due and not claimed by another sender; returns the messages sent.</summary>
    internal async Task<int> SendDueAsync(string? smtp, string? sms, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Data.ScopeAccessor>().Scope = AccessScope.System("outbox");
        var db = scope.ServiceProvider.GetRequiredService<ZongliangDbContext>();
        var channels = new List<OutboxChannel>();
        if (!string.IsNullOrWhiteSpace(smtp)) channels.Add(OutboxChannel.Email);
        if (!string.IsNullOrWhiteSpace(sms)) channels.Add(OutboxChannel.Sms);
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.OutboxMessages.Where(m => m.SentAtUtc == null && m.Attempts < MaxAttempts && channels.Contains(m.Channel)
                && (m.ClaimedUntilUtc == null || m.ClaimedUntilUtc < now))
            .OrderBy(m => m.Id).Take(100).ToListAsync(ct);
        var sent = 0;
        foreach (var m in due)
        {
            // The claim: one conditional update, which only one of several instances can win for a message.
            var claimedAt = clock.GetUtcNow().UtcDateTime;
            var until = claimedAt + ClaimFor;
            var won = await db.OutboxMessages.Where(x => x.Id == m.Id && x.SentAtUtc == null && (x.ClaimedUntilUtc == null || x.ClaimedUntilUtc < claimedAt))
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.ClaimedUntilUtc, until), ct);
            if (won == 0) continue;
            try
            {
                if (m.Channel == OutboxChannel.Email) await SendMailAsync(smtp!, m, ct);
                else await SendSmsAsync(sms!, m, ct);
                m.Sent(clock.GetUtcNow().UtcDateTime);
                sent++;
            }
            catch (Exception ex) when (ex is SmtpException or HttpRequestException or InvalidOperationException or FormatException)
            {
                m.Failed(ex.Message);
                // Free again for the next round (of this sender or another).
                await db.OutboxMessages.Where(x => x.Id == m.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.ClaimedUntilUtc, (DateTime?)null), ct);
                log.LogWarning("Outbox message {Id} to {To} failed: {Error}", m.Id, m.To, ex.Message);
            }
            await db.SaveChangesAsync(ct);
        }
        return sent;
    }

    private async Task SendMailAsync(string host, OutboxMessage m, CancellationToken ct)
    {
        using var client = new SmtpClient(host, config.GetValue("Smtp:Port", 25)) { EnableSsl = config.GetValue("Smtp:EnableSsl", false) };
        if (config["Smtp:User"] is { Length: > 0 } user)
            client.Credentials = new NetworkCredential(user, config["Smtp:Password"]);
        using var mail = new MailMessage(config["Smtp:From"] ?? "zongliang@localhost", m.To, m.Subject, m.Body);
        await client.SendMailAsync(mail, ct);
    }

    private async Task SendSmsAsync(string url, OutboxMessage m, CancellationToken ct)
    {
        using var response = await http.CreateClient("sms").PostAsJsonAsync(url, new { to = m.To, text = m.Body }, ct);
        response.EnsureSuccessStatusCode();
    }
}
