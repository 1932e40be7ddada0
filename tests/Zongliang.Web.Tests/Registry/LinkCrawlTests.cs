using System.Net;
using System.Text.RegularExpressions;
using Xunit;
using Zongliang.Web.Tests.Infrastructure;

namespace Zongliang.Web.Tests.Registry;

/// <summary>
/// Issue 17: "Links a role cannot open are not shown to it (the device page links inspectors to a
/// comparison page that answers 无权访问)." Each role follows the links of its pages, two steps from the
/// home page and its menu, and none leads to 无权访问.
/// </summary>
public sealed partial class LinkCrawlTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [GeneratedRegex("href=\"(/[^\"#]*)\"")]
    private static partial Regex Href();

    [Theory]
    [InlineData("inspect")]
    [InlineData("supervise")]
    [InlineData("province")]
    [InlineData("hedong")]
    [InlineData("qiye1")]
    [InlineData("station")]
    public async Task NoLinkARoleIsShownLeadsToAccessDenied(string user)
    {
        var client = await factory.SignedInAsync(user);
        var seen = new HashSet<string>();
        var denied = new List<string>();
        var frontier = new List<(string Url, string From)> { ("/", "") };
        for (var depth = 0; depth < 4 && frontier.Count > 0; depth++)
        {
            var next = new List<(string, string)>();
            foreach (var (url, from) in frontier)
            {
                // One page of each kind: the path with its numbers folded, without the query.
                var kind = Regex.Replace(url.Split('?')[0], @"/\d+", "/N");
                if (!seen.Add(kind) || url.StartsWith("/Account/Logout", StringComparison.Ordinal) || IsFile(url)) continue;
                var response = await client.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.ToString().Contains("/Account/AccessDenied") == true
                    || response.StatusCode == HttpStatusCode.Forbidden)
                {
                    denied.Add($"{url} (linked from {from})");
                    continue;
                }
                if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/html") continue;
                var html = await response.Content.ReadAsStringAsync();
                next.AddRange(Href().Matches(html).Select(m => (WebUtility.HtmlDecode(m.Groups[1].Value), url)));
            }
            frontier = next;
        }
        Assert.True(seen.Count > 10, $"{user} reached only {seen.Count} kinds of page");
        Assert.Empty(denied);
    }

    /// <summary>Downloads and assets: not pages with links.</summary>
    private static bool IsFile(string url) =>
        url.StartsWith("/lib/", StringComparison.Ordinal) || url.StartsWith("/css/", StringComparison.Ordinal) || url.StartsWith("/js/", StringComparison.Ordinal)
        || url.StartsWith("/fonts/", StringComparison.Ordinal) || url.Contains("Export", StringComparison.Ordinal) || url.Contains("/Report", StringComparison.Ordinal)
        || url.Contains("handler=Stream", StringComparison.Ordinal) || url.Contains("/Document", StringComparison.Ordinal) || url.Contains("/Attachment", StringComparison.Ordinal);
}
