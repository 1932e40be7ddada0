using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Xunit;
using Zongliang.Domain.Common;
using Zongliang.Web.Tests.Infrastructure;

namespace Zongliang.Web.Tests.Security;

/// <summary>
/// Issue 17: "Administrators manage users in the UI: create, disable, reset a password (the user must change
/// it at next sign-in), set role, region or enterprise, e-mail and phone for notifications; every change audited."
/// </summary>
public sealed partial class UserManagementTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    private HttpClient Client() => factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string user, string password) =>
        client.PostAsJsonAsync("/api/v1/session", new { userName = user, password });

    [GeneratedRegex("临时密码：([^（]+)（")]
    private static partial Regex Temporary();

    /// <summary>Posts the user form's handler as the administrator; returns the page shown after it.</summary>
    private static async Task<(HttpResponseMessage Response, string Page)> PostAsync(HttpClient admin, string handler, string? name, params (string Key, string Value)[] fields)
    {
        var url = "/System/User" + (name is null ? "" : "?name=" + name);
        var token = await admin.FormTokenAsync(url);
        var response = await admin.PostFormAsync($"/System/User?handler={handler}" + (name is null ? "" : "&name=" + name), token,
            fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));
        var page = response.StatusCode == HttpStatusCode.Redirect
            ? await admin.GetStringAsync(response.Headers.Location!.ToString())
            : await response.Content.ReadAsStringAsync();
        return (response, WebUtility.HtmlDecode(page));
    }

    [Fact]
    public async Task AnAdministratorCreatesAUserWhoMustChooseHisOwnPasswordAndEveryStepIsAudited()
    {
        var admin = await factory.SignedInAsync("admin");
        var (created, page) = await PostAsync(admin, "Save", null, ("UserName", "hedong-zhang"), ("DisplayName", "河东区环保局 张明"), ("Role", "county"),
            ("RegionCode", "950102"), ("Email", "zhang@hedong.example"), ("Phone", "13900001111"));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var temporary = Temporary().Match(page).Groups[1].Value;
        Assert.Equal(12, temporary.Length);

        // Signed in with it, every page leads to 修改密码 and the API refuses.
        var user = Client();
        Assert.True((await SignInAsync(user, "hedong-zhang", temporary)).IsSuccessStatusCode);
        var home = await user.GetAsync("/");
        Assert.Equal(("/Account/ChangePassword", HttpStatusCode.Redirect), (home.Headers.Location?.ToString(), home.StatusCode));
        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("/api/v1/enterprises")).StatusCode);
        var token = await user.FormTokenAsync("/Account/ChangePassword");
        var changed = await user.PostFormAsync("/Account/ChangePassword", token,
            [new("Current", temporary), new("New", "Hedong#2027"), new("Confirm", "Hedong#2027")]);
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/")).StatusCode);
        // The county user sees his own county only.
        Assert.Contains("河东区", await user.GetStringAsync("/"));

        var id = await factory.QueryAsync(db => db.Users.Where(u => u.UserName == "hedong-zhang").Select(u => u.Id).SingleAsync());
        var audit = await factory.QueryAsync(db => db.AuditEntries.Where(a => a.Key == id || a.Key.StartsWith(id)).ToListAsync());
        Assert.Contains(audit, a => a.Actor == "admin" && a.After.Contains("13900001111"));
        Assert.DoesNotContain(audit, a => a.After.Contains(temporary) || a.Before.Contains(temporary));
        Assert.True(await factory.QueryAsync(db => db.AuditEntries.AnyAsync(a => a.Entity == "Password" && a.Actor == "hedong-zhang" && a.Action == "Changed")));
    }

    [Fact]
    public async Task AResetPasswordEndsTheOldOneAndADisabledUserIsSignedOutAndCannotSignIn()
    {
        var admin = await factory.SignedInAsync("admin");
        var (_, page) = await PostAsync(admin, "Save", null, ("UserName", "nanhu-li"), ("DisplayName", "南湖区 李"), ("Role", "county"), ("RegionCode", "950122"));
        var first = Temporary().Match(page).Groups[1].Value;
        var user = Client();
        Assert.True((await SignInAsync(user, "nanhu-li", first)).IsSuccessStatusCode);

        var (_, reset) = await PostAsync(admin, "ResetPassword", "nanhu-li");
        var second = Temporary().Match(reset).Groups[1].Value;
        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(Client(), "nanhu-li", first)).StatusCode);
        // The session of the old password ended with the reset.
        Assert.Contains("/Account/Login", (await user.GetAsync("/Account/ChangePassword")).Headers.Location?.ToString());

        var again = Client();
        Assert.True((await SignInAsync(again, "nanhu-li", second)).IsSuccessStatusCode);
        var (disabled, disabledPage) = await PostAsync(admin, "Disable", "nanhu-li");
        Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);
        Assert.Contains("状态：已停用", disabledPage);
        Assert.Contains("/Account/Login", (await again.GetAsync("/Account/ChangePassword")).Headers.Location?.ToString());
        var refused = await SignInAsync(Client(), "nanhu-li", second);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        // The same answer as a wrong password: a disabled account is not told apart.
        var login = Client();
        var page2 = await login.PostFormAsync("/Account/Login", await login.FormTokenAsync("/Account/Login"), [new("UserName", "nanhu-li"), new("Password", second)]);
        Assert.Contains("用户名或密码错误", WebUtility.HtmlDecode(await page2.Content.ReadAsStringAsync()));
        Assert.True(await factory.QueryAsync(db => db.Users.AnyAsync(u => u.UserName == "nanhu-li" && u.Disabled)));

        await PostAsync(admin, "Enable", "nanhu-li");
        Assert.True((await SignInAsync(Client(), "nanhu-li", second)).IsSuccessStatusCode);
    }

    [Fact]
    public async Task TheFormSaysWhatIsWrongNextToTheField()
    {
        var admin = await factory.SignedInAsync("admin");
        var (response, page) = await PostAsync(admin, "Save", null, ("UserName", "x y"), ("DisplayName", ""), ("Role", "county"), ("RegionCode", ""), ("Phone", "123"),
            ("Email", "not-an-address"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var message in new[] { "用户名只能包含字母、数字和 - . _ @", "请填写姓名 / 单位", "请选择辖区", "手机号码为 11 位数字，以 1 开头", "电子邮箱格式不正确" })
            Assert.Contains(message, page);
        var (enterprise, enterprisePage) = await PostAsync(admin, "Save", null, ("UserName", "qiye-new"), ("DisplayName", "某企业"), ("Role", "enterprise"), ("CreditCode", "91000000000000000X"));
        Assert.Contains("没有此统一社会信用代码的排污单位", enterprisePage);
        Assert.False(await factory.QueryAsync(db => db.Users.AnyAsync(u => u.UserName == "qiye-new")));
        // The administrator cannot lock himself out.
        var (_, self) = await PostAsync(admin, "Disable", "admin");
        Assert.Contains("不能停用自己的账号", self);
    }

    [Fact]
    public async Task TheAuditLogReadsInChineseWithPeopleByNameAndTheSystemByItsPart()
    {
        // Issue 17: "/System/Audit: entity names in Chinese (LinkageCase → 联动案件), the actor shown as a person or
        // "系统（预警）", changed values as a readable before → after list with Chinese field names, times in Beijing
        // time as the column says, and a filter by entity, person and date."
        var admin = await factory.SignedInAsync("admin");
        await PostAsync(admin, "Save", null, ("UserName", "audit-wang"), ("DisplayName", "白沙县 王"), ("Role", "county"), ("RegionCode", "950124"), ("Phone", "13900002222"));
        await PostAsync(admin, "Save", "audit-wang", ("DisplayName", "白沙县 王"), ("Role", "county"), ("RegionCode", "950124"), ("Phone", "13900003333"));

        var users = WebUtility.HtmlDecode(await admin.GetStringAsync("/System/Audit?entity=AppUser&actor=系统管理员"));
        Assert.Contains("<td class=\"nowrap\">用户</td>", users);
        Assert.Contains("系统管理员（admin）", users);
        Assert.Contains("手机号码：13900002222 → 13900003333", users);
        Assert.Contains("密码：***", users);
        Assert.DoesNotContain("PasswordHash", users);
        Assert.DoesNotContain("SecurityStamp", users);
        // The row's time is Beijing time: the newest entry is from this minute, eight hours ahead of UTC.
        Assert.Contains(BeijingTime.Format(DateTime.UtcNow)[..13], users);

        // A case the warnings opened: the system, by its part.
        var enterprise = await factory.QueryAsync(db => db.Enterprises.OrderBy(e => e.Id).Select(e => new { e.Id, e.RegionId }).FirstAsync());
        await factory.WithScopeAsync(Zongliang.Domain.Access.AccessScope.System("warnings"), async db =>
        {
            var (opened, _) = Zongliang.Domain.Warnings.LinkageCase.Open(enterprise.RegionId, enterprise.Id, null, null, Zongliang.Domain.Warnings.CaseSource.Exceedance,
                "化学需氧量日均值连续超标", "system", DateTime.UtcNow);
            db.LinkageCases.Add(opened!);
            await db.SaveChangesAsync();
        });
        var cases = WebUtility.HtmlDecode(await admin.GetStringAsync("/System/Audit?entity=LinkageCase"));
        Assert.Contains("<td class=\"nowrap\">联动案件</td>", cases);
        Assert.Contains("系统（预警）", cases);
        Assert.Contains("<option value=\"LinkageCase\" selected=\"selected\">联动案件</option>", cases);

        // Dates: none of today's entries before today; a date out of range says so.
        var today = BeijingTime.Date(DateTime.UtcNow);
        Assert.Contains("没有符合条件的记录", await admin.GetStringAsync($"/System/Audit?entity=AppUser&to={today.AddDays(-400):yyyy-MM-dd}"));
        Assert.Contains("日期超出合理范围", WebUtility.HtmlDecode(await admin.GetStringAsync("/System/Audit?from=9999-12-31")));
    }

    [Fact]
    public async Task ThePasswordFormAnswersExtremeValuesWithAMessage()
    {
        // The extreme-input walk leaves /Account/ out (it would sign itself out): this form on its own.
        var user = await factory.SignedInAsync("hexi");
        foreach (var value in new[] { "", new string('长', 5000), "NaN", "9999-12-31", "1e20" })
        {
            var response = await user.PostFormAsync("/Account/ChangePassword", await user.FormTokenAsync("/Account/ChangePassword"),
                [new("Current", value), new("New", value), new("Confirm", value)]);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Matches("请填写|过长|须为|不正确|不能与当前密码相同", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        }
        // The demo password still works: nothing was changed.
        Assert.True((await SignInAsync(Client(), "hexi", Zongliang.Data.Seeding.DemoCity.DemoPassword)).IsSuccessStatusCode);
    }

    [Fact]
    public async Task OnlyAdministratorsManageUsers()
    {
        var city = await factory.SignedInAsync("city");
        var page = await city.GetAsync("/System/User");
        Assert.Contains("/Account/AccessDenied", page.Headers.Location?.ToString());
        var county = await factory.SignedInAsync("hedong");
        var token = await county.FormTokenAsync("/Registry/EnterpriseEdit");
        var post = await county.PostFormAsync("/System/User?handler=Save", token,
            [new("UserName", "sneaky"), new("DisplayName", "x"), new("Role", "admin")]);
        Assert.NotEqual(HttpStatusCode.OK, post.StatusCode);
        Assert.False(await factory.QueryAsync(db => db.Users.AnyAsync(u => u.UserName == "sneaky")));
    }
}
