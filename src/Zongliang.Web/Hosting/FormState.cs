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

    /// <summary>The first message of a field (for forms bound by handler parameters, shown next to the field), or null.</summary>
    public static string? FirstError(this ModelStateDictionary state, string field) =>
        state.TryGetValue(field, out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null;

    /// <summary>What the request posted in a field, or the fallback: a refused form shows again what was typed.</summary>
    public static string Posted(this HttpRequest request, string field, string fallback = "") =>
        request.HasFormContentType && request.Form.TryGetValue(field, out var value) ? value.ToString() : fallback;
}
