using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Zongliang.Data;
using Zongliang.Domain.Registry;

namespace Zongliang.Web.Features.Registry;

/// <summary>What every registry list page shares: the region filter, the search box and the pager.</summary>
public abstract class RegistryListPage(ZongliangDbContext db) : PageModel
{
    protected ZongliangDbContext Db { get; } = db;

    [BindProperty(SupportsGet = true)] public int? RegionId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;

    public IReadOnlyList<Region> Regions { get; private set; } = [];

    protected async Task LoadRegionsAsync(CancellationToken ct) => Regions = await RegistryQueries.CountiesAsync(Db, ct);

    protected PagerModel Pager<T>(Paged<T> page) => new(page.Page, page.Pages, page.Total, Request.Path, Request.Query);

    protected RegistryFilter Filter(int? enterpriseId = null, DeviceState? state = null, Medium? medium = null) =>
        new(RegionId, Q, enterpriseId, state, medium, PageNumber, 20);
}

/// <summary>What every registry edit page shares: turning the editor's field messages into messages next to the fields.</summary>
public abstract class RegistryEditPage : PageModel
{
    protected IActionResult Saved(EditResult result, string notice, string redirect)
    {
        if (result.NotFound) return NotFound();
        if (!result.Succeeded)
        {
            foreach (var (field, messages) in result.Errors)
                foreach (var m in messages)
                    ModelState.AddModelError(field.Length == 0 ? "" : "Input." + field, m);
            return Page();
        }
        TempData["Notice"] = notice;
        return Redirect(redirect.Replace("{key}", result.Key));
    }
}
