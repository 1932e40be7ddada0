using Microsoft.AspNetCore.Http.Extensions;

namespace Zongliang.Web.Features;

/// <summary>What the shared pager shows: the page, and a link to another page with the same filters.</summary>
public sealed record PagerModel(int Page, int Pages, int Total, string Path, IQueryCollection Query)
{
    public string Link(int page)
    {
        var qb = new QueryBuilder(Query.Where(kv => kv.Key != "page").SelectMany(kv => kv.Value.Select(v => new KeyValuePair<string, string>(kv.Key, v ?? ""))));
        qb.Add("page", page.ToString());
        return Path + qb.ToQueryString();
    }
}
