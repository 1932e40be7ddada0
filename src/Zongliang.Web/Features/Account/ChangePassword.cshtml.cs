using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Zongliang.Data;
using Zongliang.Data.Auditing;
using Zongliang.Data.Identity;

namespace Zongliang.Web.Features.Account;

/// <summary>修改密码: any signed-in user; the only page open to one whose password an administrator set.</summary>
public sealed class ChangePasswordModel(UserManager<AppUser> users, SignInManager<AppUser> signIn, ZongliangDbContext db, TimeProvider clock) : PageModel
{
    [BindProperty, Display(Name = "当前密码"), Required(ErrorMessage = "请填写{0}"), DataType(DataType.Password), StringLength(128, ErrorMessage = "{0}过长")]
    public string Current { get; set; } = "";

    [BindProperty, Display(Name = "新密码"), Required(ErrorMessage = "请填写{0}"), DataType(DataType.Password), StringLength(128, MinimumLength = 8, ErrorMessage = "{0}须为 {2}–{1} 个字符")]
    public string New { get; set; } = "";

    [BindProperty, Display(Name = "确认新密码"), Required(ErrorMessage = "请填写{0}"), DataType(DataType.Password), Compare(nameof(New), ErrorMessage = "两次输入的新密码不一致")]
    public string Confirm { get; set; } = "";

    public bool Required { get; private set; }

    public async Task OnGetAsync() => Required = (await users.GetUserAsync(User))?.MustChangePassword == true;

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        Required = user.MustChangePassword;
        if (!ModelState.IsValid) return Page();
        if (New == Current)
        {
            ModelState.AddModelError(nameof(New), "新密码不能与当前密码相同");
            return Page();
        }
        var result = await users.ChangePasswordAsync(user, Current, New);
        if (!result.Succeeded)
        {
            foreach (var e in result.Errors)
                ModelState.AddModelError(e.Code == "PasswordMismatch" ? nameof(Current) : nameof(New), PasswordMessages.Chinese(e));
            return Page();
        }
        user.MustChangePassword = false;
        await users.UpdateAsync(user);
        await AuditLog.WriteAsync(db, clock.GetUtcNow().UtcDateTime, user.UserName ?? "", "Password", user.UserName ?? "", "Changed", null, ct);
        // A new cookie without the must-change claim (the security stamp changed with the password).
        await signIn.RefreshSignInAsync(user);
        TempData["Notice"] = "密码已修改";
        return LocalRedirect("/");
    }
}

/// <summary>Identity's password rules in Chinese.</summary>
public static class PasswordMessages
{
    public static string Chinese(IdentityError e) => e.Code switch
    {
        "PasswordMismatch" => "当前密码不正确",
        "PasswordTooShort" => "密码至少 8 个字符",
        "PasswordRequiresDigit" => "密码须包含数字",
        "PasswordRequiresLower" => "密码须包含小写字母",
        "PasswordRequiresUpper" => "密码须包含大写字母",
        "PasswordRequiresNonAlphanumeric" => "密码须包含符号（如 @ # !）",
        "DuplicateUserName" => "用户名已存在",
        "InvalidUserName" => "用户名只能包含字母、数字和 - . _ @",
        _ => e.Description,
    };
}
