using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Zongliang.Web.Features.Account;

public sealed class LoginModel(SignInService signIn) : PageModel
{
    [BindProperty, Display(Name = "用户名"), Required(ErrorMessage = "请填写{0}")]
    public string UserName { get; set; } = "";

    [BindProperty, Display(Name = "密码"), Required(ErrorMessage = "请填写{0}"), DataType(DataType.Password)]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid) return Page();
        if (UserName.Length > 256 || Password.Length > 1024)
        {
            ModelState.AddModelError("", "用户名或密码错误");
            return Page();
        }
        var outcome = await signIn.SignInAsync(UserName, Password, HttpContext.Connection.RemoteIpAddress, ct);
        if (outcome.Kind == SignInResultKind.Succeeded)
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
        ModelState.AddModelError("", SignInService.Message(outcome));
        return Page();
    }
}
