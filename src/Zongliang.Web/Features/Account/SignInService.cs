using System.Net;
using Microsoft.AspNetCore.Identity;
using Zongliang.Data;
using Zongliang.Data.Auditing;
using Zongliang.Data.Identity;

namespace Zongliang.Web.Features.Account;

public enum SignInResultKind { Succeeded, Failed, Throttled }

/// <summary>What a sign-in came to, with how long to wait when throttled.</summary>
public readonly record struct SignInOutcome(SignInResultKind Kind, TimeSpan Wait = default);

/// <summary>
/// Sign-in for the page and the API alike. An unknown account costs the same password hash as a known
/// one and gets the same answer, so neither the message nor the time tells which names exist. Failures
/// are throttled per account and address (<see cref="SignInThrottle"/>), not by locking the account.
/// Every attempt is in the audit log.
/// </summary>
public sealed class SignInService(SignInManager<AppUser> signIn, UserManager<AppUser> users, SignInThrottle throttle, ZongliangDbContext db,
    TimeProvider clock, ILogger<SignInService> log)
{
    // A hash of a random password made once, verified for unknown accounts so that they take as long as known ones.
    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<AppUser>().HashPassword(new AppUser(), Guid.NewGuid().ToString()));

    public async Task<SignInOutcome> SignInAsync(string userName, string password, IPAddress? address, CancellationToken ct)
    {
        userName = userName.Trim();
        var now = clock.GetUtcNow().UtcDateTime;
        var peer = address?.ToString() ?? "";
        var wait = throttle.WaitFor(userName, address);
        if (wait > TimeSpan.Zero)
        {
            await AuditLog.WriteAsync(db, now, userName, "SignIn", peer, "Throttled", new { waitSeconds = Math.Ceiling(wait.TotalSeconds) }, ct);
            return new SignInOutcome(SignInResultKind.Throttled, wait);
        }
        var user = await users.FindByNameAsync(userName);
        bool ok;
        if (user is null)
        {
            users.PasswordHasher.VerifyHashedPassword(new AppUser(), DummyHash.Value, password);
            ok = false;
        }
        else
        {
            // A disabled account gets the same answer as a wrong password, after the same work.
            ok = (await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: false)).Succeeded && !user.Disabled;
            if (ok) await signIn.SignInAsync(user, isPersistent: false);
        }
        if (ok) throttle.Succeeded(userName, address);
        else
        {
            throttle.Failed(userName, address);
            log.LogWarning("Failed sign-in for {UserName} from {Address}", userName, peer);
        }
        await AuditLog.WriteAsync(db, now, userName, "SignIn", peer, ok ? "Succeeded" : "Failed", null, ct);
        return new SignInOutcome(ok ? SignInResultKind.Succeeded : SignInResultKind.Failed);
    }

    /// <summary>Signs out and renews the user's security stamp, so that a copy of the cookie stops working at once.</summary>
    public async Task SignOutAsync(global::System.Security.Claims.ClaimsPrincipal principal, CancellationToken ct)
    {
        if (await users.GetUserAsync(principal) is { } user)
        {
            await users.UpdateSecurityStampAsync(user);
            await AuditLog.WriteAsync(db, clock.GetUtcNow().UtcDateTime, user.UserName ?? "", "SignIn", "", "SignedOut", null, ct);
        }
        await signIn.SignOutAsync();
    }

    /// <summary>The message for the page and the API.</summary>
    public static string Message(SignInOutcome outcome) => outcome.Kind switch
    {
        SignInResultKind.Throttled => $"登录失败次数过多，请 {Math.Ceiling(outcome.Wait.TotalSeconds):0} 秒后再试",
        _ => "用户名或密码错误",
    };
}
