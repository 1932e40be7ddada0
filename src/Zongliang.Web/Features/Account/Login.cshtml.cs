using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Zongliang.Data.Identity;

namespace Zongliang.Web.Features.Account;

public sealed class LoginModel(SignInManager<AppUser> signIn, ILogger<LoginModel> log) : PageModel
{
    [BindProperty, Display(Name = "用户名"), Required(ErrorMessage = "请填写{0}")]
    public string UserName { get; set; } = "";

    [BindProperty, Display(Name = "密码"), Required(ErrorMessage = "请填写{0}"), DataType(DataType.Password)]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();
        var result = await signIn.PasswordSignInAsync(UserName.Trim(), Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
        log.LogWarning("Failed sign-in for {UserName} (locked out: {LockedOut})", UserName, result.IsLockedOut);
        ModelState.AddModelError("", result.IsLockedOut ? "登录失败次数过多，账户已暂时锁定，请15分钟后再试" : "用户名或密码错误");
        return Page();
    }
}
