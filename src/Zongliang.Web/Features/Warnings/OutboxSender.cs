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

    private async Task SendDueAsync(string? smtp, string? sms, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Data.ScopeAccessor>().Scope = AccessScope.System("outbox");
        var db = scope.ServiceProvider.GetRequiredService<ZongliangDbContext>();
        var channels = new List<OutboxChannel>();
        if (!string.IsNullOrWhiteSpace(smtp)) channels.Add(OutboxChannel.Email);
        if (!string.IsNullOrWhiteSpace(sms)) channels.Add(OutboxChannel.Sms);
        var due = await db.OutboxMessages.Where(m => m.SentAtUtc == null && m.Attempts < MaxAttempts && channels.Contains(m.Channel))
            .OrderBy(m => m.Id).Take(100).ToListAsync(ct);
        foreach (var m in due)
        {
            try
            {
                if (m.Channel == OutboxChannel.Email) await SendMailAsync(smtp!, m, ct);
                else await SendSmsAsync(sms!, m, ct);
                m.Sent(clock.GetUtcNow().UtcDateTime);
            }
            catch (Exception ex) when (ex is SmtpException or HttpRequestException or InvalidOperationException or FormatException)
            {
                m.Failed(ex.Message);
                log.LogWarning("Outbox message {Id} to {To} failed: {Error}", m.Id, m.To, ex.Message);
            }
            await db.SaveChangesAsync(ct);
        }
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
