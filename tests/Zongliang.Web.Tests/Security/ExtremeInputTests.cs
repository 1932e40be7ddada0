using System.Net;
using System.Text.RegularExpressions;
using Xunit;
using Zongliang.Web.Tests.Infrastructure;

namespace Zongliang.Web.Tests.Security;

/// <summary>
/// Walks the pages each role reaches from the home page, and sends every query parameter and every form
/// field the extreme values a careless field or an attacker would (the first and last dates, huge and
/// non-finite numbers, long strings): a message or a refusal is fine, a 500 is not.
/// </summary>
public abstract partial class ExtremeInputTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : ZongliangFactory
{
    protected virtual void RequireDatabase() { }

    private static readonly string Long = new('长', 5000);

    /// <summary>Values for query parameters and form fields.</summary>
    private static readonly string[] Extremes =
    [
        "0001-01-01", "9999-12-31", "0001-01-01T00:00", "9999-12-31T23:59", "9999-12", "0001-01", "-1", "0", "10000", "2147483648",
        "1e309", "-1e309", "Infinity", "NaN", "1e20", "99999999999999999999999999999", Long, "",
    ];

    /// <summary>Query parameters tried on every page besides those its links carry.</summary>
    private static readonly string[] CommonParameters = ["day", "month", "year", "page", "id", "region", "from", "to", "q", "kind"];

    [Theory]
    [InlineData("city")]
    [InlineData("linchuan")]
    [InlineData("station")]
    [InlineData("inspect")]
    [InlineData("qiye1")]
    [InlineData("admin")]
    public async Task NoPageOrFormAnswersAnExtremeValueWithA500(string user)
    {
        RequireDatabase();
        var client = await factory.SignedInAsync(user);
        var pages = await CrawlAsync(client);
        var failures = new List<string>();
        foreach (var (path, parameters) in pages)
        {
            foreach (var name in parameters.Union(CommonParameters))
                foreach (var value in Extremes)
                {
                    var url = $"{path}?{name}={Uri.EscapeDataString(value)}";
                    var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
                    if (response.StatusCode == HttpStatusCode.InternalServerError) failures.Add($"GET {url[..Math.Min(url.Length, 120)]}");
                }
            var page = await client.GetAsync(path, TestContext.Current.CancellationToken);
            if (!page.IsSuccessStatusCode) continue;
            foreach (var form in Forms(await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), path))
                foreach (var value in Extremes)
                {
                    var fields = form.Fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Editable ? value : f.Value)).ToList();
                    var response = await client.PostAsync(form.Action, new FormUrlEncodedContent(fields), TestContext.Current.CancellationToken);
                    if (response.StatusCode == HttpStatusCode.InternalServerError)
                        failures.Add($"POST {form.Action} ({string.Join(",", form.Fields.Where(f => f.Editable).Select(f => f.Name))}) = {value[..Math.Min(value.Length, 20)]}");
                }
        }
        Assert.True(failures.Count == 0, $"{user}: {failures.Count} answers with 500:\n" + string.Join("\n", failures.Distinct().Take(60)));
    }

    /// <summary>The pages reachable from the home page (paths with a number reduced to a few of each kind), with the query parameters their links use.</summary>
    private static async Task<Dictionary<string, HashSet<string>>> CrawlAsync(HttpClient client)
    {
        var pages = new Dictionary<string, HashSet<string>>();
        var shapes = new Dictionary<string, int>();
        var queue = new Queue<string>(["/"]);
        while (queue.Count > 0 && pages.Count < 120)
        {
            var path = queue.Dequeue();
            var response = await client.GetAsync(path);
            pages.TryAdd(path, []);
            if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != "text/html") continue;
            var html = await response.Content.ReadAsStringAsync();
            foreach (Match m in Href().Matches(html))
            {
                var link = WebUtility.HtmlDecode(m.Groups[1].Value);
                if (!link.StartsWith('/') || link.StartsWith("//") || link.StartsWith("/lib/") || link.StartsWith("/css/") || link.StartsWith("/Account/")) continue;
                var q = link.IndexOf('?');
                var target = q < 0 ? link : link[..q];
                if (target.Contains('.') || target.EndsWith("/Document") || target.Contains("/Attachment/")) continue;
                var names = q < 0 ? [] : link[(q + 1)..].Split('&').Select(p => p.Split('=')[0]).Where(n => n.Length > 0 && n != "handler");
                if (pages.TryGetValue(target, out var known)) { known.UnionWith(names); continue; }
                var shape = Digits().Replace(target, "#");
                if (shapes.GetValueOrDefault(shape) >= 2 || queue.Contains(target)) continue;
                shapes[shape] = shapes.GetValueOrDefault(shape) + 1;
                queue.Enqueue(target);
                pages[target] = [.. names];
            }
        }
        return pages;
    }

    private sealed record Field(string Name, string Value, bool Editable);
    private sealed record Form(string Action, List<Field> Fields);

    private static IEnumerable<Form> Forms(string html, string page)
    {
        foreach (Match f in FormPattern().Matches(html))
        {
            var attributes = f.Groups[1].Value;
            if (!Regex.IsMatch(attributes, "method=\"post\"", RegexOptions.IgnoreCase)) continue;
            var action = Attribute(attributes, "action") is { Length: > 0 } a ? WebUtility.HtmlDecode(a) : page;
            if (action.StartsWith("/Account/")) continue;
            var fields = new List<Field>();
            foreach (Match i in Input().Matches(f.Groups[2].Value))
            {
                var tag = i.Value;
                if (Attribute(tag, "name") is not { Length: > 0 } name) continue;
                var type = Attribute(tag, "type") ?? "text";
                var value = WebUtility.HtmlDecode(Attribute(tag, "value") ?? "");
                if (type is "checkbox" or "radio" or "submit" or "file") continue;
                fields.Add(new Field(name, value, type != "hidden" && !tag.StartsWith("<select")));
            }
            foreach (Match s in Select().Matches(f.Groups[2].Value))
                if (Attribute(s.Groups[1].Value, "name") is { Length: > 0 } name)
                    fields.Add(new Field(name, Option().Match(s.Groups[2].Value) is { Success: true } o ? WebUtility.HtmlDecode(o.Groups[1].Value) : "", false));
            yield return new Form(action, fields);
        }
    }

    private static string? Attribute(string tag, string name) =>
        Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"", RegexOptions.IgnoreCase) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex("href=\"([^\"]+)\"")] private static partial Regex Href();
    [GeneratedRegex("[0-9]+")] private static partial Regex Digits();
    [GeneratedRegex("<form([^>]*)>(.*?)</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)] private static partial Regex FormPattern();
    [GeneratedRegex("<(?:input|textarea)\\b[^>]*>", RegexOptions.IgnoreCase)] private static partial Regex Input();
    [GeneratedRegex("<select([^>]*)>(.*?)</select>", RegexOptions.Singleline | RegexOptions.IgnoreCase)] private static partial Regex Select();
    [GeneratedRegex("<option[^>]*value=\"([^\"]+)\"", RegexOptions.IgnoreCase)] private static partial Regex Option();
}

public sealed class ExtremeInputTestsOnSqlite(SqliteFactory factory) : ExtremeInputTests<SqliteFactory>(factory);

/// <summary>On PostgreSQL as well: its numeric columns refuse what SQLite stores (a 7.9e28 t target was a 500 there).</summary>
public sealed class ExtremeInputTestsOnPostgreSql(PostgreSqlFactory factory) : ExtremeInputTests<PostgreSqlFactory>(factory)
{
    protected override void RequireDatabase() => PostgreSqlFactory.SkipUnlessAvailable();
}
