using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Zongliang.Data;
using Zongliang.Data.Identity;
using Zongliang.Domain.Access;
using Zongliang.Web.Features.Account;

namespace Zongliang.Web.Features.System;

/// <summary>
/// 用户 (administrators only, as the whole /System folder): create an account, change its name, role,
/// region or enterprise and contacts, give it a temporary password (changed at its next sign-in), disable
/// or enable it. Every change is in the audit log (the password as *** only).
/// </summary>
public sealed class UserModel(UserManager<AppUser> users, ZongliangDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Name { get; set; }

    [BindProperty, Display(Name = "用户名"), StringLength(64, MinimumLength = 3, ErrorMessage = "{0}须为 {2}–{1} 个字符"),
     RegularExpression(@"^[A-Za-z0-9._@-]+$", ErrorMessage = "用户名只能包含字母、数字和 - . _ @")]
    public string? UserName { get; set; }

    [BindProperty, Display(Name = "姓名 / 单位"), Required(ErrorMessage = "请填写{0}"), StringLength(64, ErrorMessage = "{0}不超过 {1} 个字符")]
    public string DisplayName { get; set; } = "";

    [BindProperty, Display(Name = "角色"), Required(ErrorMessage = "请选择{0}")]
    public string Role { get; set; } = Roles.County;

    [BindProperty, Display(Name = "辖区")]
    public string? RegionCode { get; set; }

    [BindProperty, Display(Name = "统一社会信用代码"), StringLength(18, ErrorMessage = "{0}为 18 位")]
    public string? CreditCode { get; set; }

    [BindProperty, Display(Name = "电子邮箱"), EmailAddress(ErrorMessage = "{0}格式不正确"), StringLength(128, ErrorMessage = "{0}过长")]
    public string? Email { get; set; }

    [BindProperty, Display(Name = "手机号码"), RegularExpression(@"^1\d{10}$", ErrorMessage = "{0}为 11 位数字，以 1 开头")]
    public string? Phone { get; set; }

    public bool IsNew => string.IsNullOrEmpty(Name);
    public bool Disabled { get; private set; }
    public bool MustChangePassword { get; private set; }
    public IReadOnlyList<(string Code, string Name, int Depth)> Regions { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadListsAsync(ct);
        if (IsNew) return Page();
        var user = await users.FindByNameAsync(Name!);
        if (user is null) return NotFound();
        await ShowAsync(user, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        await LoadListsAsync(ct);
        var user = IsNew ? null : await users.FindByNameAsync(Name!);
        if (!IsNew && user is null) return NotFound();
        // The status line, should the form come back with messages.
        (Disabled, MustChangePassword) = (user?.Disabled ?? false, user?.MustChangePassword ?? false);
        if (IsNew && string.IsNullOrWhiteSpace(UserName)) ModelState.AddModelError(nameof(UserName), "请填写用户名");
        if (!Roles.All.Contains(Role)) ModelState.AddModelError(nameof(Role), "请选择角色");
        int? regionId = null, enterpriseId = null;
        if (Roles.BindsRegion(Role, !string.IsNullOrEmpty(RegionCode)))
        {
            regionId = await db.Regions.Where(r => r.Code == RegionCode).Select(r => (int?)r.Id).FirstOrDefaultAsync(ct);
            if (regionId is null) ModelState.AddModelError(nameof(RegionCode), "请选择辖区");
        }
        if (Role == Roles.Enterprise)
        {
            var code = CreditCode?.Trim().ToUpperInvariant();
            enterpriseId = await db.Enterprises.Where(e => e.CreditCode == code).Select(e => (int?)e.Id).FirstOrDefaultAsync(ct);
            if (enterpriseId is null) ModelState.AddModelError(nameof(CreditCode), "没有此统一社会信用代码的排污单位");
        }
        var self = user is not null && user.UserName == User.Identity?.Name;
        if (self && Role != Roles.Admin) ModelState.AddModelError(nameof(Role), "不能取消自己的管理员角色");
        if (!ModelState.IsValid) return Page();

        string? temporary = null;
        if (user is null)
        {
            user = new AppUser { UserName = UserName!.Trim(), MustChangePassword = true };
            temporary = TemporaryPassword();
            Apply(user, regionId, enterpriseId);
            var created = await users.CreateAsync(user, temporary);
            if (!created.Succeeded)
            {
                foreach (var e in created.Errors) ModelState.AddModelError(e.Code.Contains("UserName") ? nameof(UserName) : "", PasswordMessages.Chinese(e));
                return Page();
            }
            await users.AddToRoleAsync(user, Role);
        }
        else
        {
            Apply(user, regionId, enterpriseId);
            await users.UpdateAsync(user);
            var had = await users.GetRolesAsync(user);
            if (!had.SequenceEqual([Role]))
            {
                await users.RemoveFromRolesAsync(user, had);
                await users.AddToRoleAsync(user, Role);
            }
        }
        TempData["Notice"] = temporary is null ? $"用户 {user.UserName} 已保存"
            : $"用户 {user.UserName} 已创建。临时密码：{temporary}（只显示这一次，请告知本人；首次登录时须修改）";
        return RedirectToPage(new { name = user.UserName });
    }

    public async Task<IActionResult> OnPostResetPasswordAsync(CancellationToken ct)
    {
        var user = await users.FindByNameAsync(Name ?? "");
        if (user is null) return NotFound();
        var temporary = TemporaryPassword();
        await users.RemovePasswordAsync(user);
        await users.AddPasswordAsync(user, temporary);
        user.MustChangePassword = true;
        await users.UpdateAsync(user);
        // Signed in elsewhere with the old password: signed out there.
        await users.UpdateSecurityStampAsync(user);
        TempData["Notice"] = $"已为 {user.UserName} 重置密码。临时密码：{temporary}（只显示这一次；下次登录时须修改）";
        return RedirectToPage(new { name = user.UserName });
    }

    public Task<IActionResult> OnPostDisableAsync(CancellationToken ct) => SetDisabledAsync(true);

    public Task<IActionResult> OnPostEnableAsync(CancellationToken ct) => SetDisabledAsync(false);

    private async Task<IActionResult> SetDisabledAsync(bool disabled)
    {
        var user = await users.FindByNameAsync(Name ?? "");
        if (user is null) return NotFound();
        if (disabled && user.UserName == User.Identity?.Name)
        {
            TempData["Notice"] = "不能停用自己的账号";
            return RedirectToPage(new { name = user.UserName });
        }
        user.Disabled = disabled;
        await users.UpdateAsync(user);
        // A disabled user's open sessions end with his next request.
        if (disabled) await users.UpdateSecurityStampAsync(user);
        TempData["Notice"] = disabled ? $"用户 {user.UserName} 已停用" : $"用户 {user.UserName} 已启用";
        return RedirectToPage(new { name = user.UserName });
    }

    private void Apply(AppUser user, int? regionId, int? enterpriseId)
    {
        user.DisplayName = DisplayName.Trim();
        user.RegionId = regionId;
        user.EnterpriseId = enterpriseId;
        user.Email = string.IsNullOrWhiteSpace(Email) ? null : Email.Trim();
        user.PhoneNumber = string.IsNullOrWhiteSpace(Phone) ? null : Phone.Trim();
    }

    private async Task ShowAsync(AppUser user, CancellationToken ct)
    {
        UserName = user.UserName;
        DisplayName = user.DisplayName;
        Role = (await users.GetRolesAsync(user)).FirstOrDefault() ?? "";
        RegionCode = user.RegionId is { } r ? await db.Regions.Where(x => x.Id == r).Select(x => x.Code).FirstOrDefaultAsync(ct) : null;
        CreditCode = user.EnterpriseId is { } e ? await db.Enterprises.Where(x => x.Id == e).Select(x => x.CreditCode).FirstOrDefaultAsync(ct) : null;
        Email = user.Email;
        Phone = user.PhoneNumber;
        Disabled = user.Disabled;
        MustChangePassword = user.MustChangePassword;
    }

    private async Task LoadListsAsync(CancellationToken ct)
    {
        var regions = await db.Regions.AsNoTracking().OrderBy(r => r.Path).Select(r => new { r.Code, r.Name, r.Path }).ToListAsync(ct);
        Regions = regions.Select(r => (r.Code, r.Name, r.Path.Count(c => c == '/'))).ToList();
    }

    /// <summary>Twelve characters that meet the password rules: upper, lower, digit and symbol, from a cryptographic source.</summary>
    internal static string TemporaryPassword()
    {
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", lower = "abcdefghijkmnpqrstuvwxyz", digits = "23456789", symbols = "@#%+=";
        const string all = upper + lower + digits + symbols;
        var chars = new char[12];
        chars[0] = upper[RandomNumberGenerator.GetInt32(upper.Length)];
        chars[1] = lower[RandomNumberGenerator.GetInt32(lower.Length)];
        chars[2] = digits[RandomNumberGenerator.GetInt32(digits.Length)];
        chars[3] = symbols[RandomNumberGenerator.GetInt32(symbols.Length)];
        for (var i = 4; i < chars.Length; i++) chars[i] = all[RandomNumberGenerator.GetInt32(all.Length)];
        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }
}
