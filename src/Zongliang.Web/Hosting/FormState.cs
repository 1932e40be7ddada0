using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Zongliang.Web.Hosting;

public static class FormState
{
    /// <summary>
    /// On a page with several forms, every bound model is validated on each post: keep the entries
    /// of the form that was posted (its prefix, e.g. "Measure."), so the other forms' required
    /// fields do not block it.
    /// </summary>
    public static void KeepOnly(this ModelStateDictionary state, string prefix)
    {
        foreach (var key in state.Keys.Where(k => !k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            state.Remove(key);
    }
}
