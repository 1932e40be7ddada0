using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Xunit;
using Zongliang.Data.Seeding;
using Zongliang.Web.Features.Account;
using Zongliang.Web.Tests.Infrastructure;

namespace Zongliang.Web.Tests.Security;

/// <summary>Sign-in, sign-out and the headers of what the platform answers.</summary>
public sealed class SignInTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    private HttpClient Client() => factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string user, string password) =>
        client.PostAsJsonAsync("/api/v1/session", new { userName = user, password });

    [Fact]
    public async Task AnUnknownAccountGetsTheSameAnswerAndCostsAsMuchTimeAsAWrongPassword()
    {
        var client = Client();
        await SignInAsync(client, "nanhu", "wrong-1"); // warms the hasher up
        double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
        var known = new List<double>();
        var unknown = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var sw = Stopwatch.StartNew();
            var k = await SignInAsync(client, "nanhu", $"wrong-{i}a");
            known.Add(sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            var u = await SignInAsync(client, $"nobody{i}", $"wrong-{i}b");
            unknown.Add(sw.Elapsed.TotalMilliseconds);
            Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (k.StatusCode, u.StatusCode));
        }
        // Without the dummy hash an unknown name answered in about a millisecond, a known one after the
        // PBKDF2 hash (tens of milliseconds). A third of the known median leaves room for the machine's noise.
        Assert.True(Median(unknown) >= Median(known) / 3, $"unknown {Median(unknown):F1} ms, known {Median(known):F1} ms");
    }

    [Fact]
    public async Task WrongPasswordsDelayThatAccountFromThatAddressButNeverLockTheAccount()
    {
        var client = Client();
        for (var i = 0; i < 8; i++)
            await SignInAsync(client, "baisha", "wrong");
        // From the same address, even the right password now has to wait …
        var throttled = await SignInAsync(client, "baisha", DemoCity.DemoPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Contains("秒后再试", await throttled.Content.ReadAsStringAsync());
        // … but the account itself is not locked: Identity's lockout is not what stops the guessing.
        Assert.Null(await factory.QueryAsync(db => db.Users.Where(u => u.UserName == "baisha").Select(u => u.LockoutEnd).SingleAsync()));
        var audit = await factory.QueryAsync(db => db.AuditEntries.Where(a => a.Entity == "SignIn" && a.Actor == "baisha").Select(a => a.Action).ToListAsync());
        // Three free failures, a fourth that starts the delay, then every try within it is refused unheard.
        Assert.Equal((SignInThrottle.FreeFailures + 1, 8 - SignInThrottle.FreeFailures), (audit.Count(a => a == "Failed"), audit.Count(a => a == "Throttled")));
    }

    [Fact]
    public void TheDelayIsPerAccountAndAddress()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var throttle = new SignInThrottle(clock);
        var attacker = IPAddress.Parse("192.0.2.66");
        var owner = IPAddress.Parse("192.0.2.10");
        for (var i = 0; i < 10; i++) throttle.Failed("hexi", attacker);
        Assert.True(throttle.WaitFor("hexi", attacker) > TimeSpan.FromMinutes(2));
        Assert.Equal(TimeSpan.Zero, throttle.WaitFor("hexi", owner));
        Assert.Equal(TimeSpan.Zero, throttle.WaitFor("xincheng", attacker));
        for (var i = 0; i < 30; i++) throttle.Failed("hexi", attacker);
        Assert.True(throttle.WaitFor("hexi", attacker) <= SignInThrottle.MaxDelay);
    }

    [Fact]
    public async Task ACopiedCookieStopsWorkingOnceItsOwnerSignsOut()
    {
        var owner = Client();
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(owner, "gaoxin", DemoCity.DemoPassword)).StatusCode);
        var cookie = (await SignInAsync(Client(), "gaoxin", DemoCity.DemoPassword)).Headers.GetValues("Set-Cookie").First(c => c.StartsWith("zl.auth="));
        var thief = Client();
        thief.DefaultRequestHeaders.Add("Cookie", cookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/Registry/Enterprises")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await owner.DeleteAsync("/api/v1/session")).StatusCode);

        var after = await thief.GetAsync("/Registry/Enterprises");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/Account/Login", after.Headers.Location!.ToString());
    }

    [Fact]
    public async Task ErrorPagesCarryTheSecurityHeadersAndScopedAnswersAreNotCached()
    {
        var client = await factory.SignedInAsync("linchuan");
        foreach (var url in new[] { "/Registry/Enterprise/999999", "/Monitoring/Report/1?day=0001-01-01", "/Registry/Enterprises" })
        {
            var response = await client.GetAsync(url);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Contains("no-store", response.Headers.CacheControl!.ToString());
        }
        var year = DateTime.UtcNow.AddHours(8).Year;
        var export = await client.GetAsync($"/Quotas/LedgerExport?year={year}&pollutant=cod");
        Assert.True(export.Headers.CacheControl!.NoStore);
        Assert.True(await factory.QueryAsync(db => db.AuditEntries.AnyAsync(a => a.Entity == "Export" && a.Actor == "linchuan" && a.Key.StartsWith("/Quotas/LedgerExport"))));
        // Static files may be cached.
        var script = await Client().GetAsync("/lib/echarts/echarts.min.js");
        Assert.False(script.Headers.CacheControl?.NoStore ?? false);
    }
}
