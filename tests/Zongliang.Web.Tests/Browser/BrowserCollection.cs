using Xunit;

namespace Zongliang.Web.Tests.Browser;

/// <summary>
/// The browser tests run one class at a time and apart from the other tests: each starts a host
/// with the demo city and a Chromium, and on two cores, side by side with the rest, page loads
/// could outlast Playwright's timeouts.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection
{
    public const string Name = "Browser";
}
